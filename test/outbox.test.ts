// The outbox on its own: backoff timing, claims that never hand one job to two workers (SQLite and
// PostgreSQL), retries honouring Retry-After, permanent failures at once, and what a dead sender leaves.
import { describe, expect, it } from 'vitest';
import type { Store } from '../server/store/database.js';
import { OutboxRepository } from '../server/outbox/repository.js';
import { DeliveryError, OutboxWorker, type OutboundSender } from '../server/outbox/worker.js';
import { parseRetryAfter, retryDelayMs } from '../server/outbox/backoff.js';
import { dialects, storePerTest } from './helpers/services.js';

const quiet = { info() {}, warn() {}, error() {} };

describe('retry timing', () => {
  it('doubles from the base up to the cap, with equal jitter', () => {
    const none = () => 0;
    const full = () => 1;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, undefined, { baseMs: 1000, random: full }))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(3, undefined, { baseMs: 1000, random: none })).toBe(2000);
    expect(retryDelayMs(30, undefined, { baseMs: 1000, maxMs: 60_000, random: full })).toBe(60_000);
  });

  it('waits what Retry-After says (seconds or an HTTP date), capped', () => {
    expect(retryDelayMs(1, 7)).toBe(7000);
    expect(retryDelayMs(1, 100_000, { maxMs: 60_000 })).toBe(60_000);
    const now = new Date('2026-11-30T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 30 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

async function conversation(store: Store): Promise<string> {
  await store.db.insertInto('customers').values({ id: 'c1', display_name: null, created_at: '2026-01-01T00:00:00Z' }).execute();
  await store.db
    .insertInto('conversations')
    .values({ id: 'k1', customer_id: 'c1', channel: 'sms', locale: 'de', status: 'bot', last_seq: 0, created_at: 'x', updated_at: 'x', channel_address: '+491701234567' } as any)
    .execute();
  return 'k1';
}

describe.each(dialects)('outbox on $name', (dialect) => {
  const stores = storePerTest(dialect);

  it('two workers claiming at once never get the same job', async (ctx) => {
    const store = await stores.open(ctx);
    const id = await conversation(store);
    const clock = { now: new Date('2026-11-30T10:00:00Z') };
    const repo = new OutboxRepository(store.db, store.dialect, () => clock.now);
    for (let i = 0; i < 30; i++) await repo.enqueue({ messageId: null, conversationId: id, channel: 'sms', recipient: '+491701234567', body: `m${i}` });
    const claims = await Promise.all([1, 2, 3].map(() => repo.claim(['sms'], 12, 60_000)));
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
    expect(claims.flat().every((j) => j.state === 'sending' && j.attempts === 1)).toBe(true);
  });

  it('retries a transient failure after its Retry-After, fails a permanent one at once, and gives up after the last attempt', async (ctx) => {
    const store = await stores.open(ctx);
    const id = await conversation(store);
    const clock = { now: new Date('2026-11-30T10:00:00Z') };
    const repo = new OutboxRepository(store.db, store.dialect, () => clock.now);
    const calls: string[] = [];
    const sender: OutboundSender = {
      async send(job) {
        calls.push(job.body);
        if (job.body === 'busy' && calls.filter((b) => b === 'busy').length === 1) throw new DeliveryError('HTTP 429: too many requests', false, 30);
        if (job.body === 'stop') throw new DeliveryError('Twilio 21610: the recipient unsubscribed (STOP)', true);
        if (job.body === 'down') throw new DeliveryError('HTTP 503', false);
        return { providerId: `SM-${job.body}` };
      },
    };
    const worker = new OutboxWorker(repo, quiet, { maxAttempts: 2, pollMs: 60_000, backoff: { random: () => 1, baseMs: 1000 } });
    worker.register('sms', sender);
    const busy = await repo.enqueue({ messageId: null, conversationId: id, channel: 'sms', recipient: '+49', body: 'busy' });
    const stop = await repo.enqueue({ messageId: null, conversationId: id, channel: 'sms', recipient: '+49', body: 'stop' });
    const down = await repo.enqueue({ messageId: null, conversationId: id, channel: 'sms', recipient: '+49', body: 'down' });
    await worker.drain();
    expect((await repo.get(stop.id))).toMatchObject({ state: 'failed', attempts: 1, error: 'Twilio 21610: the recipient unsubscribed (STOP)' });
    expect((await repo.get(busy.id))).toMatchObject({ state: 'queued', next_attempt_at: '2026-11-30T10:00:30.000Z' });

    clock.now = new Date('2026-11-30T10:00:29Z');
    await worker.drain();
    expect(calls.filter((b) => b === 'busy')).toHaveLength(1);
    clock.now = new Date('2026-11-30T10:00:31Z');
    await worker.drain();
    expect(await repo.get(busy.id)).toMatchObject({ state: 'sent', provider_id: 'SM-busy', attempts: 2 });
    expect(await repo.get(down.id)).toMatchObject({ state: 'failed', attempts: 2, error: 'gave up after 2 attempts: HTTP 503' });
    expect(calls.filter((b) => b === 'stop')).toHaveLength(1);
    await worker.stop();
  });

  it('a job claimed by a sender that died is claimed again once its lease ran out; status callbacks only move forward', async (ctx) => {
    const store = await stores.open(ctx);
    const id = await conversation(store);
    const clock = { now: new Date('2026-11-30T10:00:00Z') };
    const repo = new OutboxRepository(store.db, store.dialect, () => clock.now);
    const job = await repo.enqueue({ messageId: null, conversationId: id, channel: 'sms', recipient: '+49', body: 'x' });
    expect(await repo.claim(['sms'], 5, 60_000)).toHaveLength(1);
    expect(await repo.claim(['sms'], 5, 60_000)).toHaveLength(0);
    clock.now = new Date('2026-11-30T10:02:00Z');
    expect(await repo.releaseExpired()).toBe(1);
    const [again] = await repo.claim(['sms'], 5, 60_000);
    expect(again).toMatchObject({ id: job.id, attempts: 2 });
    await repo.markSent(again, 'SM1');
    await repo.applyStatus('SM1', 'delivered', null);
    await repo.applyStatus('SM1', 'sent', null);
    expect(await repo.get(job.id)).toMatchObject({ state: 'delivered' });
    expect(await repo.applyStatus('SM-unknown', 'delivered', null)).toBeUndefined();
  });
});
