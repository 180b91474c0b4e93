// npm run bench: HTTP throughput and latency of the product's hot routes on loopback, each as a ratio
// against a bare Fastify route on the same machine (so the figures travel between machines), plus memory.
// Prints figures; asserts nothing. Load goes to 127.0.0.1 only, bounded in time.
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { openStore } from '../server/store/database.js';
import { tempDir } from '../test/helpers/services.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options });
  const errors = result.errors + result.non2xx;
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

async function bareBaseline(): Promise<Figures> {
  const bare = Fastify();
  bare.get('/', async () => ({ hello: 'world' }));
  const url = await bare.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await load('bare Fastify route (baseline)', { url });
  } finally {
    await bare.close();
  }
}

async function main() {
  const baseline = await bareBaseline();

  const dataDir = tempDir('support-desk-bench-');
  const config = testConfig({
    KB_DIR: path.resolve('kb-content'),
    DATA_DIR: dataDir,
    CHAT_MESSAGES_PER_MINUTE: '100000',
    CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000',
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'full',
  });
  const store = await openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  const app = await buildApp(config, { store });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  const queries = ['Wie lange dauert die Lieferung?', 'Rücksendung Etikett', 'Passwort vergessen', 'Gutscheincode funktioniert nicht'];
  let next = 0;
  const search = await load('GET /api/search (German, 4 queries)', {
    url,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/search?locale=de&q=${encodeURIComponent(queries[next++ % queries.length])}` }) }],
  });

  // A full bot turn: store the customer message, search, decide, store the replies. Spread over many
  // conversations so that one conversation's turns (which run one after another) do not serialise the load.
  const conversations: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < 50; i++) {
    const response = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } });
    const body = response.json();
    conversations.push({ id: body.conversationId, token: body.token });
  }
  const texts = ['How long does delivery take?', 'How do I return an item?', 'Which payment methods can I use?', 'I forgot my password'];
  let turn = 0;
  const chat = await load('POST chat message (bot turn, stored)', {
    url,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const conversation = conversations[turn % conversations.length];
          const text = texts[turn++ % texts.length];
          return {
            ...req,
            path: `/api/chat/conversations/${conversation.id}/messages`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${conversation.token}` },
            body: JSON.stringify({ text }),
          };
        },
      },
    ],
  });

  const health = await load('GET /healthz', { url: `${url}/healthz` });
  await app.close();
  await store.close();

  const rows = [baseline, health, search, chat];
  console.log(`\n${SECONDS} s per route, ${CONNECTIONS} connections, loopback, SQLite synchronous=${config.sqliteSynchronous}\n`);
  console.log('route'.padEnd(42), 'req/s'.padStart(9), 'ratio'.padStart(7), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7));
  for (const row of rows) {
    const ratio = row.requestsPerSecond / baseline.requestsPerSecond;
    console.log(
      row.name.padEnd(42),
      row.requestsPerSecond.toFixed(0).padStart(9),
      ratio.toFixed(3).padStart(7),
      String(row.p50).padStart(8),
      String(row.p99).padStart(8),
      String(row.errors).padStart(7),
    );
  }
  const memory = process.memoryUsage();
  console.log(`\nmemory after the run: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
