// Two agents claim the same conversation at the same moment, each through their own server instance with its
// own database connection(s), as two processes behind a load balancer would: exactly one wins, every time.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { openStore, type Store } from '../server/store/database.js';
import { hashPassword } from '../server/handoff/passwords.js';
import { HandoffError } from '../server/handoff/service.js';
import { POSTGRES_URL, skipWithoutPostgres, tempDir } from './helpers/services.js';

const ROUNDS = 200;
const WORKER = new URL('./handoff-claim-race.worker.mjs', import.meta.url);
// Monday 10:00 in Berlin: inside opening hours
const clock = { now: () => new Date('2026-11-23T09:00:00Z') };

async function queuedConversation(app: FastifyInstance, round: number): Promise<string> {
  const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: `visitor-${round}` }]);
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  return conversation.id;
}

async function addAgent(app: FastifyInstance, login: string, name: string) {
  return (await app.agents.create({ login, displayName: name, passwordHash: await hashPassword('pw'), role: 'agent' }))!;
}

// SQLite: better-sqlite3 is synchronous, so two connections in one thread would take turns, never race.
// Each agent's server runs in its own worker thread with its own connection; a shared barrier releases both claims at once.
describe('claim race on sqlite (two threads, two connections)', () => {
  it(`two agents claim the same conversation: exactly one wins, ${ROUNDS} times`, async () => {
    const file = path.join(tempDir(), 'race.sqlite');
    const store = await openStore(`sqlite:${file}`);
    const app = await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'x' }), { store, clock });
    const anna = await addAgent(app, 'anna', 'Anna');
    const ben = await addAgent(app, 'ben', 'Ben');
    const barrier = new SharedArrayBuffer(4);
    const workers = [anna, ben].map((agent) => new Worker(WORKER, { workerData: { file, login: agent.login, barrier } }));
    const next = (worker: Worker) =>
      new Promise<any>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('message', (message) => {
          worker.off('error', reject);
          resolve(message);
        });
      });
    try {
      await Promise.all(workers.map(next)); // 'ready'
      const wins = { Anna: 0, Ben: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const conversationId = await queuedConversation(app, round);
        const answers = Promise.all(workers.map(next));
        for (const worker of workers) worker.postMessage({ round, conversationId });
        const [forAnna, forBen] = await answers;
        expect([forAnna.won, forBen.won].filter(Boolean), `round ${round}`).toHaveLength(1);
        const stored = await app.repos.conversations.get(conversationId);
        const winner = stored?.assigned_agent_id === anna.id ? 'Anna' : 'Ben';
        expect(stored?.status).toBe('assigned');
        const loser = forAnna.won ? forBen : forAnna;
        expect(loser).toEqual({ won: false, status: 409, assignedAgent: { id: stored?.assigned_agent_id, name: winner } });
        expect((forAnna.won ? 'Anna' : 'Ben')).toBe(winner);
        expect((await app.repos.conversations.messages(conversationId)).filter((m) => m.payload?.agentJoined)).toHaveLength(1);
        wins[winner]++;
      }
      console.info(`claim race on sqlite: ${ROUNDS} rounds, exactly one winner each; Anna won ${wins.Anna}, Ben won ${wins.Ben}`);
    } finally {
      for (const worker of workers) worker.postMessage('close');
      await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
      await app.close();
      await store.close();
    }
  }, 180_000);
});

// PostgreSQL: two app instances, each with its own connection pool, as two processes behind a load balancer.
describe('claim race on postgres (two app instances, two pools)', () => {
  let skip = false;
  const schema = `race_${randomBytes(5).toString('hex')}`;
  const apps: FastifyInstance[] = [];
  const stores: Store[] = [];

  beforeAll(async () => {
    if (await skipWithoutPostgres()) {
      skip = true;
      return;
    }
    for (let i = 0; i < 2; i++) {
      const store = await openStore(POSTGRES_URL, { schema });
      stores.push(store);
      apps.push(await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'x' }), { store, clock }));
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    // the schema is dropped after the whole run (test/global-setup.ts)
  });

  it(`two agents claim the same conversation: exactly one wins, ${ROUNDS} times`, async (ctx) => {
    if (skip) ctx.skip();
    const [first, second] = apps;
    const anna = await addAgent(first, 'anna', 'Anna');
    const ben = await addAgent(second, 'ben', 'Ben');
    const wins = { Anna: 0, Ben: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      const conversation = { id: await queuedConversation(first, round) };

      const results = await Promise.allSettled([first.handoff.claim(conversation.id, anna), second.handoff.claim(conversation.id, ben)]);
      const winners = results.filter((r) => r.status === 'fulfilled');
      const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(HandoffError);

      const stored = await second.repos.conversations.get(conversation.id);
      const winner = stored?.assigned_agent_id === anna.id ? 'Anna' : 'Ben';
      expect(stored?.status).toBe('assigned');
      expect((losers[0] as HandoffError).assignedAgent).toEqual({ id: stored?.assigned_agent_id, name: winner });
      const joined = (await first.repos.conversations.messages(conversation.id)).filter((m) => m.payload?.agentJoined);
      expect(joined).toHaveLength(1);
      wins[winner]++;
    }
    console.info(`claim race on postgres: ${ROUNDS} rounds, exactly one winner each; Anna won ${wins.Anna}, Ben won ${wins.Ben}`);
    expect(wins.Anna + wins.Ben).toBe(ROUNDS);
  }, 120_000);
});
