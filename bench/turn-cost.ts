// Quick CPU cost of one chat turn and one search through app.inject (no network, no load generator), with
// the SQL statements and commits of a turn: a before/after measure for single changes.
// `tsx bench/turn-cost.ts` (SQLITE_SYNCHRONOUS=normal by default; BENCH_POSTGRES=1 runs on PostgreSQL in a
// schema of its own; PROFILE=dir writes a CPU profile of each measured phase there).
// Questions (chat and search alike) are the sample KB's varied German and English questions, not a few
// repeated ones: what is measured is real search work, not a cache.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { openPostgresStore, tempDir } from '../test/helpers/services.js';

const config = testConfig({
  KB_DIR: path.resolve('kb-content'),
  DATA_DIR: tempDir('support-desk-cost-'),
  CHAT_MESSAGES_PER_MINUTE: '100000',
  CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000',
  SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'normal',
});
const store = process.env.BENCH_POSTGRES ? await openPostgresStore({ countStatements: true }) : undefined;
const app = await buildApp(config, store ? { store } : {});
await app.ready();
const stats = app.store.stats;
const questions = fs
  .readFileSync('bench/sample-kb-questions.jsonl', 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { text: string; locale: string });
const conversations: Array<{ id: string; token: string; locale: string }> = [];
for (let i = 0; i < 40; i++) {
  const locale = i % 2 ? 'en' : 'de';
  const body = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale } })).json();
  conversations.push({ id: body.conversationId, token: body.token, locale });
}
const byLocale = (locale: string) => questions.filter((q) => q.locale === locale);
const turns = Number(process.env.TURNS ?? 400);
let asked = 0;
async function chat(n: number) {
  for (let i = 0; i < n; i++) {
    const c = conversations[asked % conversations.length];
    const own = byLocale(c.locale);
    const text = own[Math.floor(asked / conversations.length) % own.length].text;
    asked++;
    const r = await app.inject({ method: 'POST', url: `/api/chat/conversations/${c.id}/messages`, headers: { authorization: `Bearer ${c.token}` }, payload: { text } });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
}
let searched = 0;
async function search(n: number) {
  for (let i = 0; i < n; i++) {
    const q = questions[searched++ % questions.length];
    await app.inject({ method: 'GET', url: `/api/search?locale=${q.locale}&q=${encodeURIComponent(q.text)}` });
  }
}

const profileDir = process.env.PROFILE;
const session = profileDir ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  fs.mkdirSync(profileDir!, { recursive: true });
}
async function measured(name: string, work: () => Promise<void>): Promise<{ cpuMs: number; statements: number; commits: number }> {
  await app.store.durable();
  const before = { ...stats };
  if (session) await session.post('Profiler.start');
  const t = process.cpuUsage();
  await work();
  await app.store.durable();
  const used = process.cpuUsage(t);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(path.join(profileDir!, `${name}.cpuprofile`), JSON.stringify(profile));
  }
  return { cpuMs: (used.user + used.system) / 1000, statements: stats.statements - before.statements, commits: stats.commits - before.commits };
}

await chat(80);
await search(200);
const c = await measured('chat', () => chat(turns));
const dialect = app.store.dialect === 'postgres' ? 'postgres' : `sqlite synchronous=${config.sqliteSynchronous}`;
console.log(
  `chat turn: ${(c.cpuMs / turns).toFixed(2)} ms CPU each, ${(c.statements / turns).toFixed(1)} statements and ${(c.commits / turns).toFixed(2)} commits per turn (${turns} turns one after the other, ${dialect})`,
);
const s = await measured('search', () => search(turns * 2));
console.log(`search: ${(s.cpuMs / (turns * 2)).toFixed(3)} ms CPU each, ${(s.statements / (turns * 2)).toFixed(1)} statements each`);
await app.close();
