// Sends what is in the outbox through the sender each channel registered: drained at start, woken when
// a job is added, polled for retries. A transient failure (429, 5xx, network) is retried with backoff
// (Retry-After honoured); a permanent one (unsubscribed, invalid number) fails at once with its reason.
import type { OutboxJob, OutboxRepository } from './repository.js';
import { retryDelayMs, type BackoffOptions } from './backoff.js';

/** Delivers one job on its channel; returns the provider's id for status callbacks. */
export interface OutboundSender {
  send(job: OutboxJob): Promise<{ providerId: string | null }>;
}

/** A failed send, classified by the sender. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** from a 429/503 Retry-After */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface WorkerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OutboxWorkerOptions {
  maxAttempts: number;
  pollMs: number;
  leaseMs?: number;
  batch?: number;
  backoff?: BackoffOptions;
  /** resolves once the claimed jobs (and the messages they send) are committed: SQLite's group commit (issue 12) */
  durable?: () => Promise<void>;
}

export class OutboxWorker {
  private readonly senders = new Map<string, OutboundSender>();
  private draining: Promise<number> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly repo: OutboxRepository,
    private readonly logger: WorkerLogger,
    private readonly options: OutboxWorkerOptions,
  ) {}

  /** A channel says how its messages go out; jobs for channels without a sender wait. */
  register(channel: string, sender: OutboundSender): void {
    this.senders.set(channel, sender);
    this.kick();
  }

  hasSender(channel: string): boolean {
    return this.senders.has(channel);
  }

  /** Starts the worker: jobs left from before (queued, or claimed by a process that died) go out now. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.drain();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining?.catch(() => {});
  }

  /** Something was added: drain soon, without waiting for the poll. */
  kick(): void {
    if (this.stopped) return;
    setImmediate(() => void this.drain().catch((error) => this.logger.error({ err: error }, 'outbox drain failed')));
  }

  /** Sends every due job; one drain at a time in this process (a call during one runs another after it). Returns jobs handled. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      let handled = 0;
      do {
        this.again = false;
        await this.repo.releaseExpired();
        for (;;) {
          const jobs = await this.repo.claim([...this.senders.keys()], this.options.batch ?? 20, this.options.leaseMs ?? 60_000);
          if (jobs.length === 0) break;
          // nothing goes out before it is on disk: a crash must not leave a sent SMS the transcript lacks
          await this.options.durable?.();
          for (const job of jobs) await this.process(job);
          handled += jobs.length;
        }
      } while (this.again);
      return handled;
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.drain()
        .catch((error) => this.logger.error({ err: error }, 'outbox drain failed'))
        .finally(() => this.schedule());
    }, this.options.pollMs);
    this.timer.unref();
  }

  private async process(job: OutboxJob): Promise<void> {
    const sender = this.senders.get(job.channel)!;
    try {
      const { providerId } = await sender.send(job);
      await this.repo.markSent(job, providerId);
      this.logger.info({ outboxId: job.id, conversationId: job.conversation_id, providerId, attempt: job.attempts }, 'outbox: sent');
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(`network error: ${(error as Error).message}`, false);
      if (failure.permanent || job.attempts >= this.options.maxAttempts) {
        const reason = failure.permanent ? failure.message : `gave up after ${job.attempts} attempts: ${failure.message}`;
        await this.repo.markFailed(job, reason);
        this.logger.warn({ outboxId: job.id, conversationId: job.conversation_id, reason }, 'outbox: delivery failed');
        return;
      }
      const delay = retryDelayMs(job.attempts, failure.retryAfterSeconds, this.options.backoff);
      await this.repo.retryLater(job, delay, failure.message);
      this.logger.warn({ outboxId: job.id, conversationId: job.conversation_id, attempt: job.attempts, retryInMs: delay, reason: failure.message }, 'outbox: will retry');
    }
  }
}
