// How many messages one conversation may send per minute (a fixed one-minute window per conversation,
// in memory: good for one process; several processes each allow the limit).
export class ConversationRateLimit {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = () => Date.now()) {}

  /** Counts one message; returns 0 when allowed, else the seconds until the conversation may send again. */
  take(conversationId: string): number {
    const now = this.now();
    let window = this.windows.get(conversationId);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.windows.set(conversationId, window);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    if (window.count >= this.perMinute) return Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
    window.count += 1;
    return 0;
  }

  private sweep(now: number): void {
    for (const [id, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(id);
  }
}
