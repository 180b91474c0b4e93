// One "server process" in the SQLite claim race: its own app and its own SQLite connection, in its own thread.
// Waits at a shared barrier so both threads send their UPDATE at the same moment.
import { parentPort, workerData } from 'node:worker_threads';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { openStore } from '../server/store/database.js';

const { file, login, barrier } = workerData as { file: string; login: string; barrier: SharedArrayBuffer };
const arrived = new Int32Array(barrier);
const store = await openStore(`sqlite:${file}`);
const app = await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'x' }), { store, clock: { now: () => new Date('2026-11-23T09:00:00Z') } });
const agent = (await app.agents.findByLogin(login))!;

parentPort!.on('message', async (message: { round: number; conversationId: string } | 'close') => {
  if (message === 'close') {
    await app.close();
    await store.close();
    parentPort!.close();
    return;
  }
  Atomics.add(arrived, 0, 1);
  while (Atomics.load(arrived, 0) < 2 * (message.round + 1)); // spin: both threads leave the barrier together
  try {
    await app.handoff.claim(message.conversationId, agent);
    parentPort!.postMessage({ won: true });
  } catch (error) {
    parentPort!.postMessage({ won: false, status: (error as { statusCode?: number }).statusCode, assignedAgent: (error as { assignedAgent?: unknown }).assignedAgent });
  }
});
parentPort!.postMessage('ready');
