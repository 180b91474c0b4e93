// How many messages one conversation may send per minute: a one-minute window per conversation, counted
// by a WindowCounter (memory for one process, the database when several instances share it).
import type { WindowCounter } from '../../limits/window-counter.js';

export class ConversationRateLimit {
  constructor(private readonly perMinute: number, private readonly counter: WindowCounter) {}

  /** Counts one message; resolves to 0 when allowed, else the seconds until the conversation may send again. */
  async take(conversationId: string): Promise<number> {
    const window = await this.counter.hit(`chat-conversation:${conversationId}`, 60_000);
    if (window.count <= this.perMinute) return 0;
    return Math.max(1, Math.ceil(window.resetInMs / 1000));
  }
}
