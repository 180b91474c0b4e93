// Unread markers: per agent and browser, the seq of the latest customer message the agent has seen in each
// conversation. A conversation whose customer wrote after that is unread. Kept in localStorage (the team is
// small and markers are a convenience: a new browser simply shows everything as unread once).
const MAX_REMEMBERED = 500;

export class SeenMessages {
  private readonly key: string;
  private seen: Record<string, number>;

  constructor(agentId: number) {
    this.key = `agent-seen:${agentId}`;
    try {
      this.seen = JSON.parse(localStorage.getItem(this.key) ?? '{}') as Record<string, number>;
    } catch {
      this.seen = {};
    }
  }

  isUnread(conversationId: string, lastCustomerSeq: number): boolean {
    return lastCustomerSeq > (this.seen[conversationId] ?? 0);
  }

  markSeen(conversationId: string, seq: number): void {
    if ((this.seen[conversationId] ?? 0) >= seq) return;
    this.seen[conversationId] = seq;
    const ids = Object.keys(this.seen);
    if (ids.length > MAX_REMEMBERED) for (const id of ids.slice(0, ids.length - MAX_REMEMBERED)) delete this.seen[id];
    localStorage.setItem(this.key, JSON.stringify(this.seen));
  }
}
