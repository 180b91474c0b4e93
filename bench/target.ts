// A server for `npm run bench` to load, in a process of its own (the load generator must not share its
// event loop). `bare`: one Fastify route, the baseline of every ratio. `app`: the whole product on SQLite.
// Prints "READY <url>" once it listens.
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { tempDir } from '../test/helpers/services.js';

const mode = process.argv[2];
let url: string;
if (mode === 'bare') {
  const bare = Fastify();
  bare.get('/', async () => ({ hello: 'world' }));
  url = await bare.listen({ port: 0, host: '127.0.0.1' });
} else {
  const config = testConfig({
    KB_DIR: path.resolve(process.env.BENCH_KB_DIR ?? 'kb-content'),
    DATA_DIR: tempDir('support-desk-bench-'),
    CHAT_MESSAGES_PER_MINUTE: '100000',
    CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000',
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'full',
  });
  const app = await buildApp(config);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}
// the bench asks for a full collection before it reads the RSS of idle sockets (garbage is not what they hold)
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
console.log(`READY ${url}`);
