// npm run bench: what one process gives, as ratios to a bare Fastify route measured in the same round (so
// the figures travel between machines), with the target next to each row. The servers run in
// processes of their own (bench/target.ts); this process only generates load (autocannon, ws clients).
// Three rounds (BENCH_ROUNDS) of BENCH_SECONDS per measure; min / median / max of each ratio; a JSON summary
// at the end. Rows that need more than SQLite (PostgreSQL + nginx) say why they are skipped.
// Knobs: BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_SOCKETS (10000),
// BENCH_KB_ARTICLES (10000; 0 skips the row), BENCH_REPLIES (200).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const KB_ARTICLES = Number(process.env.BENCH_KB_ARTICLES ?? 10_000);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 200);
const root = path.resolve(import.meta.dirname, '..');

interface Target {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startTarget(mode: 'bare' | 'app', env: Record<string, string> = {}): Promise<Target> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(root, 'bench/target.ts'), mode], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`bench target ${mode} exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL')))),
  };
}

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function conversations(url: string, count: number): Promise<Array<{ id: string; token: string }>> {
  const made: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < count; i++) {
    const body = await (await fetch(`${url}/api/chat/conversations`, json({ locale: 'en' }))).json();
    made.push({ id: body.conversationId, token: body.token });
  }
  return made;
}

function chatLoad(url: string, list: Array<{ id: string; token: string }>, connections: number): Promise<Load> {
  const texts = ['How long does delivery take?', 'How do I return an item?', 'Which payment methods can I use?', 'I forgot my password'];
  let turn = 0;
  return load({
    url,
    connections,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const conversation = list[turn % list.length];
          const text = texts[turn++ % texts.length];
          return { ...req, path: `/api/chat/conversations/${conversation.id}/messages`, headers: { 'content-type': 'application/json', authorization: `Bearer ${conversation.token}` }, body: JSON.stringify({ text }) };
        },
      },
    ],
  });
}

/** One round: the bare route, then search and chat on the product, each ratio against this round's bare route. */
async function round(n: number) {
  const bare = await startTarget('bare');
  const baseline = await load({ url: bare.url });
  await bare.stop();

  const app = await startTarget('app');
  // the sample KB's varied German and English questions: real search work, not four repeated queries
  const queries = fs
    .readFileSync(path.join(root, 'bench/sample-kb-questions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { text: string; locale: string });
  let next = 0;
  const search = await load({
    url: app.url,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const q = queries[next++ % queries.length];
          return { ...req, path: `/api/search?locale=${q.locale}&q=${encodeURIComponent(q.text)}` };
        },
      },
    ],
  });
  const list = await conversations(app.url, 200);
  const chat = await chatLoad(app.url, list.slice(0, 50), CONNECTIONS);
  const chat200 = await chatLoad(app.url, list, 200);
  await app.stop();
  console.log(
    `round ${n}: bare ${baseline.rps.toFixed(0)} req/s; search ${search.rps.toFixed(0)} req/s (p99 ${search.p99} ms); chat ${chat.rps.toFixed(0)} req/s (p99 ${chat.p99} ms); ` +
      `chat at 200 conversations ${chat200.rps.toFixed(0)} req/s, p99 ${chat200.p99} ms; errors ${search.errors + chat.errors + chat200.errors}`,
  );
  return { baseline, search, chat, chat200 };
}

/** Idle widget sockets held by one process: RSS added per socket. */
async function idleSockets() {
  const app = await startTarget('app', { SQLITE_SYNCHRONOUS: 'normal' });
  const list = await conversations(app.url, 200);
  // RSS after a full collection in the server, before and after: what the sockets hold, not garbage
  const collected = async () => {
    app.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 1000));
    return rssKiB(app.child.pid!);
  };
  const before = await collected();
  const sockets: WebSocket[] = [];
  const ws = app.url.replace('http', 'ws');
  for (let i = 0; i < SOCKETS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, SOCKETS - i) }, (_, j) => {
        const c = list[(i + j) % list.length];
        const socket = new WebSocket(`${ws}/api/chat/conversations/${c.id}/stream?token=${c.token}`);
        sockets.push(socket);
        return new Promise<void>((resolve, reject) => {
          socket.once('message', () => resolve()); // the status sent on connect: the server holds it
          socket.once('error', reject);
        });
      }),
    );
  }
  await new Promise((r) => setTimeout(r, 2000));
  const after = await collected();
  for (const socket of sockets) socket.terminate();
  await app.stop();
  return { sockets: SOCKETS, kibEach: (after - before) / SOCKETS, rssMiB: after / 1024 };
}

/** A generated KB of `count` English articles (seeded), written once per run. */
function generatedKb(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-desk-bench-kb-'));
  const words = 'order parcel delivery refund invoice account password card payment address return voucher shipping warehouse courier tracking subscription plan contract device battery screen warranty repair exchange discount price tax receipt customer store branch weekend holiday station label box damage missing late early fee cancel change update confirm email phone app login'.split(' ');
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = () => words[Math.floor(random() * words.length)];
  const sentence = (n: number) => Array.from({ length: n }, pick).join(' ');
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, 'en', `topic-${i % 50}`);
    fs.mkdirSync(folder, { recursive: true });
    const title = `How do I ${sentence(3)} ${i}?`;
    fs.writeFileSync(
      path.join(folder, `article-${i}.md`),
      `---\nid: article-${i}\ntitle: "${title}"\nquestions:\n  - ${sentence(6)}\n  - ${sentence(5)}\n  - ${sentence(7)}\ncategory: topic-${i % 50}\nsummary: ${sentence(18)}.\n---\n` +
        `## ${sentence(3)}\n\n${Array.from({ length: 6 }, () => `${sentence(14)}.`).join(' ')}\n\n## ${sentence(2)}\n\n${Array.from({ length: 5 }, () => `${sentence(12)}.`).join(' ')}\n`,
    );
  }
  return dir;
}

function kbLoad(kbDir: string, cacheDir: string): Promise<{ ms: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(root, 'bench/kb-load.ts'), kbDir, cacheDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      code === 0 ? resolve(JSON.parse(line)) : reject(new Error(`kb-load exited with ${code}: ${out}`));
    });
  });
}

/** An agent's reply through nginx to a widget socket held by the other instance (PostgreSQL): latency. */
async function crossInstanceReplies(): Promise<{ p50: number; p99: number; count: number } | { skipped: string }> {
  const cluster = await import('../test/helpers/cluster.js');
  const problem = await cluster.clusterProblem().catch((e: Error) => e.message);
  if (problem) return { skipped: problem };
  const database = await cluster.freshDatabase();
  const env = { DATABASE_URL: database.url, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-')), INITIAL_ADMIN_PASSWORD: 'bench admin password', TRUST_PROXY: '127.0.0.1', CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000' };
  const a = await cluster.startInstance('A', env);
  const b = await cluster.startInstance('B', env);
  const lb = await cluster.startNginx([a.port, b.port]);
  try {
    const started = await (await fetch(`${lb.url}/api/chat/conversations`, json({ locale: 'en' }))).json();
    const auth = { authorization: `Bearer ${started.token}` };
    await fetch(`${lb.url}/api/chat/conversations/${started.conversationId}/messages`, { ...json({ text: 'I want to talk to a person' }), headers: { 'content-type': 'application/json', ...auth } });
    const agent = await cluster.agentLogin(lb.url, 'admin', 'bench admin password');
    const headers = { 'content-type': 'application/json', cookie: agent.cookie, 'x-csrf-token': agent.csrf };
    await fetch(`${lb.url}/api/agent/conversations/${started.conversationId}/claim`, { method: 'POST', headers, body: '{}' });
    const socket = new WebSocket(`${lb.url.replace('http', 'ws')}/api/chat/conversations/${started.conversationId}/stream?token=${started.token}`);
    let upstream = '';
    socket.on('upgrade', (response) => (upstream = String(response.headers['x-upstream'])));
    await new Promise((resolve) => socket.once('open', resolve));
    const arrived = new Map<string, number>();
    socket.on('message', (data) => {
      const event = JSON.parse(String(data));
      if (event.type === 'message') arrived.set(event.message.text, performance.now());
    });
    const latencies: number[] = [];
    for (let i = 0; latencies.length < REPLIES && i < REPLIES * 4; i++) {
      const text = `reply ${i}`;
      const sent = performance.now();
      const response = await fetch(`${lb.url}/api/agent/conversations/${started.conversationId}/reply`, { method: 'POST', headers, body: JSON.stringify({ text }) });
      const other = response.headers.get('x-upstream') !== upstream;
      await response.arrayBuffer();
      while (!arrived.has(text)) await new Promise((r) => setTimeout(r, 1));
      if (other) latencies.push(arrived.get(text)! - sent);
    }
    socket.close();
    latencies.sort((x, y) => x - y);
    return { p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)], count: latencies.length };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await lb.stop();
    await database.drop();
  }
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};
const f = (x: number, digits = 3) => x.toFixed(digits);

async function main() {
  console.log(`npm run bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${ROUNDS} rounds of ${SECONDS} s per measure, ${CONNECTIONS} connections, loopback; SQLite synchronous=full unless said\n`);
  const rounds = [];
  for (let n = 1; n <= ROUNDS; n++) rounds.push(await round(n));
  const searchRatio = stats(rounds.map((r) => r.search.rps / r.baseline.rps));
  const chatRatio = stats(rounds.map((r) => r.chat.rps / r.baseline.rps));
  const chat200p99 = stats(rounds.map((r) => r.chat200.p99));

  console.log('\nidle sockets …');
  const sockets = await idleSockets();
  let kb: { articles: number; coldMs: number; warmMs: number; rssMiB: number } | { skipped: string };
  if (KB_ARTICLES > 0) {
    console.log(`generated KB of ${KB_ARTICLES} articles …`);
    const dir = generatedKb(KB_ARTICLES);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'support-desk-bench-cache-'));
    const cold = await kbLoad(dir, cache);
    const warm = await kbLoad(dir, cache);
    kb = { articles: KB_ARTICLES, coldMs: cold.ms, warmMs: warm.ms, rssMiB: warm.rssMiB };
  } else kb = { skipped: 'BENCH_KB_ARTICLES=0' };
  console.log('agent replies across instances …');
  const replies = await crossInstanceReplies();

  const rows: Array<{ measure: string; value: string; target: string; met: boolean | null }> = [
    { measure: 'GET /api/search (sample KB) / bare route', value: `${f(searchRatio.min)} / ${f(searchRatio.median)} / ${f(searchRatio.max)}`, target: '≥ 0.15', met: searchRatio.median >= 0.15 },
    { measure: 'chat message with the bot answer, synchronous=full / bare route', value: `${f(chatRatio.min)} / ${f(chatRatio.median)} / ${f(chatRatio.max)}`, target: '≥ 0.05', met: chatRatio.median >= 0.05 },
    { measure: 'chat p99 at 200 concurrent conversations (ms)', value: `${chat200p99.min} / ${chat200p99.median} / ${chat200p99.max}`, target: '< 50', met: chat200p99.median < 50 },
    { measure: `idle widget WebSockets held: RSS each (${sockets.sockets} held)`, value: `${f(sockets.kibEach, 1)} KiB`, target: '10,000 held, ≤ 16 kB each, one ping sweep', met: sockets.sockets >= 10_000 && sockets.kibEach <= 16 },
    ...('skipped' in kb
      ? [{ measure: 'KB of 10,000 generated articles', value: `skipped: ${kb.skipped}`, target: '≤ 20 s / ≤ 2 s / ≤ 300 MB', met: null }]
      : [
          { measure: `KB of ${kb.articles} generated articles: cold build`, value: `${f(kb.coldMs / 1000, 1)} s`, target: '≤ 20 s', met: kb.coldMs <= 20_000 },
          { measure: `KB of ${kb.articles} generated articles: warm start`, value: `${f(kb.warmMs / 1000, 1)} s`, target: '≤ 2 s', met: kb.warmMs <= 2_000 },
          { measure: `KB of ${kb.articles} generated articles: RSS after load`, value: `${f(kb.rssMiB, 0)} MiB`, target: '≤ 300 MB', met: kb.rssMiB <= 300 },
        ]),
    'skipped' in replies
      ? { measure: 'agent reply to a widget on another instance (PostgreSQL, nginx), p99', value: `skipped: ${replies.skipped}`, target: '< 100 ms', met: null }
      : { measure: `agent reply to a widget on another instance (PostgreSQL, nginx), p50 / p99 of ${replies.count}`, value: `${f(replies.p50, 1)} / ${f(replies.p99, 1)} ms`, target: 'p99 < 100 ms', met: replies.p99 < 100 },
  ];
  console.log('\n| measure | min / median / max (or value) | target | met |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.measure} | ${row.value} | ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : 'no'} |`);
  const summary = { cores: os.cpus().length, node: process.version, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, searchRatio, chatRatio, chat200p99, perRound: rounds, sockets, kb, replies, rows };
  console.log(`\nJSON ${JSON.stringify(summary)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
