// Whether a web customer is still there: the widget sockets open in this process, and (for every instance)
// when the customer's socket was last seen, stored on the conversation and refreshed while it is open.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

export class CustomerSockets {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  async connected(conversationId: string): Promise<void> {
    this.open.set(conversationId, (this.open.get(conversationId) ?? 0) + 1);
    await this.seen(conversationId);
  }

  async disconnected(conversationId: string): Promise<void> {
    const left = (this.open.get(conversationId) ?? 1) - 1;
    if (left > 0) this.open.set(conversationId, left);
    else this.open.delete(conversationId);
    await this.seen(conversationId);
  }

  /** Called while a socket stays open (keep-alive), so other instances see the customer as present. */
  async seen(conversationId: string): Promise<void> {
    await this.seenAll([conversationId]);
  }

  /** One statement per few hundred conversations: the keep-alive sweep refreshes every open socket's at once. */
  async seenAll(conversationIds: string[]): Promise<void> {
    const now = this.now().toISOString();
    for (let i = 0; i < conversationIds.length; i += 500) {
      await this.db.updateTable('conversations').set({ customer_seen_at: now }).where('id', 'in', conversationIds.slice(i, i + 500)).execute();
    }
  }

  /** No socket here, and none seen anywhere for `idleMinutes` (the keep-alive refreshes every 30 s). */
  async goneFor(conversationId: string, idleMinutes: number): Promise<boolean> {
    if (this.open.has(conversationId)) return false;
    const row = await this.db.selectFrom('conversations').select('customer_seen_at').where('id', '=', conversationId).executeTakeFirst();
    if (!row?.customer_seen_at) return true;
    return this.now().getTime() - Date.parse(row.customer_seen_at) >= idleMinutes * 60_000;
  }
}
