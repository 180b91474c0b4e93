// The outbox table: jobs are claimed atomically (PostgreSQL: FOR UPDATE SKIP LOCKED, so several instances
// never take the same job; SQLite: one UPDATE … WHERE state = 'queued', which is atomic in its single writer).
// A claim is a lease: a job whose sender died mid-send is claimed again after the lease (at least once).
import type { Kysely, Selectable } from 'kysely';
import type { Database, DeliveryState, OutboxState, OutboxTable } from '../store/schema.js';
import type { DialectName } from '../store/database.js';

export type OutboxJob = Selectable<OutboxTable>;

export interface NewOutboxJob {
  messageId: number | null;
  conversationId: string;
  channel: string;
  recipient: string;
  body: string;
}

/** Later states win; a late "sent" callback never undoes "delivered", and failed is final. */
const RANK: Record<OutboxState, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, failed: 4 };

/** Told after a job's message changed delivery state (sent, delivered, failed). */
export type DeliveryListener = (change: { conversationId: string; messageId: number; state: DeliveryState; error: string | null }) => void;

export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly now: () => Date,
    private readonly onChange: DeliveryListener = () => {},
  ) {}

  private iso(offsetMs = 0): string {
    return new Date(this.now().getTime() + offsetMs).toISOString();
  }

  /** Adds a job, due now; the message (if any) shows delivery state `queued`. */
  async enqueue(job: NewOutboxJob): Promise<OutboxJob> {
    const at = this.iso();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('outbox')
        .values({
          message_id: job.messageId,
          conversation_id: job.conversationId,
          channel: job.channel,
          recipient: job.recipient,
          body: job.body,
          state: 'queued',
          attempts: 0,
          next_attempt_at: at,
          lease_until: null,
          provider_id: null,
          error: null,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (job.messageId !== null) await trx.updateTable('messages').set({ delivery_state: 'queued' }).where('id', '=', job.messageId).execute();
      return row;
    });
  }

  /** Takes up to `limit` due jobs of these channels for `leaseMs`, counting an attempt on each. */
  async claim(channels: string[], limit: number, leaseMs: number): Promise<OutboxJob[]> {
    if (channels.length === 0) return [];
    const now = this.iso();
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('state', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .where('channel', 'in', channels)
      .orderBy('id')
      .limit(limit);
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
    return this.db
      .updateTable('outbox')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), lease_until: this.iso(leaseMs), updated_at: now }))
      .where('id', 'in', due)
      .where('state', '=', 'queued')
      .returningAll()
      .execute();
  }

  /** Jobs whose claim expired (the process died while sending) become due again. */
  async releaseExpired(): Promise<number> {
    const result = await this.db
      .updateTable('outbox')
      .set({ state: 'queued', lease_until: null, updated_at: this.iso() })
      .where('state', '=', 'sending')
      .where('lease_until', '<', this.iso())
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async markSent(job: OutboxJob, providerId: string | null): Promise<void> {
    await this.settle(job, { state: 'sent', provider_id: providerId, error: null }, 'sent');
  }

  async markFailed(job: OutboxJob, reason: string): Promise<void> {
    await this.settle(job, { state: 'failed', error: reason }, 'failed');
  }

  async retryLater(job: OutboxJob, delayMs: number, reason: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ state: 'queued', lease_until: null, next_attempt_at: this.iso(delayMs), error: reason, updated_at: this.iso() })
      .where('id', '=', job.id)
      .where('state', '=', 'sending')
      .execute();
  }

  private async settle(job: OutboxJob, changes: { state: OutboxState; provider_id?: string | null; error: string | null }, messageState: DeliveryState): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('outbox').set({ ...changes, lease_until: null, updated_at: this.iso() }).where('id', '=', job.id).execute();
      if (job.message_id !== null) await trx.updateTable('messages').set({ delivery_state: messageState }).where('id', '=', job.message_id).execute();
    });
    if (job.message_id !== null) this.onChange({ conversationId: job.conversation_id, messageId: job.message_id, state: messageState, error: changes.error });
  }

  /**
   * A provider's status callback: moves the job forward (never back) and mirrors the state on the message.
   * Returns the job as it is now, or undefined when the provider id is unknown.
   */
  async applyStatus(providerId: string, state: 'sent' | 'delivered' | 'failed', error: string | null): Promise<OutboxJob | undefined> {
    const job = await this.db.selectFrom('outbox').selectAll().where('provider_id', '=', providerId).executeTakeFirst();
    if (!job) return undefined;
    if (RANK[state] <= RANK[job.state]) return job;
    await this.settle(job, { state, error: state === 'failed' ? error : job.error }, state);
    return { ...job, state, error: state === 'failed' ? error : job.error };
  }

  get(id: number): Promise<OutboxJob | undefined> {
    return this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The last job per message of a conversation: what the agents see as delivery state and failure reason. */
  async forConversation(conversationId: string): Promise<Map<number, OutboxJob>> {
    const rows = await this.db.selectFrom('outbox').selectAll().where('conversation_id', '=', conversationId).orderBy('id').execute();
    const byMessage = new Map<number, OutboxJob>();
    for (const row of rows) if (row.message_id !== null) byMessage.set(row.message_id, row);
    return byMessage;
  }
}
