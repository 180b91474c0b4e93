// The outbox as a Fastify plugin: decorates `outbox` (enqueue a delivery, register a channel's sender,
// read delivery states), starts the worker when the app is ready (draining what is left from before)
// and stops it on close.
import fp from 'fastify-plugin';
import { OutboxRepository, type NewOutboxJob, type OutboxJob } from './repository.js';
import { OutboxWorker, type OutboundSender } from './worker.js';

export class Outbox {
  constructor(readonly repo: OutboxRepository, readonly worker: OutboxWorker) {}

  /** Stores the job (committed) and wakes the worker. */
  async enqueue(job: NewOutboxJob): Promise<OutboxJob> {
    const stored = await this.repo.enqueue(job);
    this.worker.kick();
    return stored;
  }

  register(channel: string, sender: OutboundSender): void {
    this.worker.register(channel, sender);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox;
  }
}

export default fp(
  async (app) => {
    const repo = new OutboxRepository(app.store.db, app.store.dialect, () => app.clock.now(), (change) => app.bus.publish({ type: 'delivery', ...change }));
    const worker = new OutboxWorker(repo, app.log, { maxAttempts: app.config.outbox.maxAttempts, pollMs: app.config.outbox.pollSeconds * 1000, durable: () => app.store.durable() });
    app.decorate('outbox', new Outbox(repo, worker));
    app.addHook('onReady', async () => {
      // not awaited: a slow provider must not hold up the start; the drain logs its own errors
      void worker.start().catch((error) => app.log.error({ err: error }, 'outbox: start-up drain failed'));
    });
    app.addHook('onClose', async () => worker.stop());
  },
  { name: 'outbox', dependencies: ['services'] },
);
