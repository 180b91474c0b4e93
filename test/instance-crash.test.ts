// A crash under load loses nothing: two instances behind nginx take a steady stream of chat messages from
// several customers; one instance is SIGKILLed mid-stream. The clients do what the widget does: a message
// without an answer is sent again with the same clientMessageId. Afterwards every message that got a 2xx is
// in its transcript exactly once, and in the order it was sent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../server/store/database.js';
import { clusterProblem, freshDatabase, startInstance, startNginx, type Balancer, type Instance } from './helpers/cluster.js';
import { tempDir } from './helpers/services.js';

const CUSTOMERS = 8;

describe('an instance killed under load (SIGKILL)', () => {
  let skip = false;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let a: Instance;
  let b: Instance;
  let lb: Balancer;

  beforeAll(async () => {
    if (await clusterProblem()) return void (skip = true);
    database = await freshDatabase();
    const env = { DATABASE_URL: database.url, DATA_DIR: tempDir(), TRUST_PROXY: '127.0.0.1', CHAT_MESSAGES_PER_MINUTE: '100000', CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000' };
    a = await startInstance('A', env);
    b = await startInstance('B', env);
    lb = await startNginx([a.port, b.port]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop()]);
    await lb?.stop();
    await database?.drop();
  }, 60_000);

  it('keeps every acknowledged message exactly once and in order', async (ctx) => {
    if (skip) ctx.skip();
    let stop = false;
    const acknowledged = new Map<string, string[]>();
    const retried = { count: 0 };

    /** One customer: sends its messages one after the other, each until it gets a 2xx (as the widget retries). */
    async function customer(k: number): Promise<void> {
      const started = await fetch(`${lb.url}/api/chat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }) });
      expect(started.status).toBe(201);
      const { conversationId, token } = await started.json();
      const acked: string[] = [];
      acknowledged.set(conversationId, acked);
      for (let i = 0; !stop; i++) {
        const text = `customer ${k} message ${i}: where is my order?`;
        const clientMessageId = randomUUID();
        for (let attempt = 0; ; attempt++) {
          if (attempt > 50) throw new Error(`message ${text} never acknowledged`);
          if (attempt > 0) retried.count++;
          const response = await fetch(`${lb.url}/api/chat/conversations/${conversationId}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ text, clientMessageId }),
          }).catch(() => undefined);
          if (response && response.status >= 200 && response.status < 300) {
            const body = await response.json();
            expect(body.received.text).toBe(text);
            acked.push(text);
            break;
          }
          await response?.arrayBuffer();
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }

    const load = Array.from({ length: CUSTOMERS }, (_, k) => customer(k));
    await new Promise((r) => setTimeout(r, 2500));
    a.child.kill('SIGKILL');
    await a.exited;
    await new Promise((r) => setTimeout(r, 2500));
    stop = true;
    await Promise.all(load);

    const store = await openStore(database!.url);
    try {
      let total = 0;
      for (const [conversationId, acked] of acknowledged) {
        const rows = await store.db.selectFrom('messages').select(['text', 'seq']).where('conversation_id', '=', conversationId).where('author', '=', 'customer').orderBy('seq').execute();
        const texts = rows.map((r) => r.text);
        // exactly once: no retry stored a second copy
        expect(new Set(texts).size).toBe(texts.length);
        // every acknowledged message is there, in the order it was sent
        expect(texts.filter((t) => acked.includes(t))).toEqual(acked);
        total += acked.length;
      }
      // a steady load: many messages before and after the kill
      expect(total).toBeGreaterThan(CUSTOMERS * 4);
      console.log(`crash test: ${total} messages acknowledged by ${CUSTOMERS} customers, ${retried.count} retries after the kill`);
    } finally {
      await store.close();
    }
  }, 180_000);
});
