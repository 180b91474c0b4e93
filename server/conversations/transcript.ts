// The one way to add a message to a conversation: store it (committed), then tell live listeners.
// Whoever acknowledges a message to a customer or an agent does so after append() resolves (and, with
// SQLite's group commit, after the commit: every answer waits for store.durable(); events for afterCommit).
import type { EventBus } from '../events/bus.js';
import type { ConversationRepository, Message, NewMessage } from '../store/conversations.js';
import type { ConversationStatus, ConversationUpdate } from '../store/schema.js';

export class Transcript {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly bus: EventBus,
    /** publishes once the change is committed (Store.afterCommit); at once by default */
    private readonly afterCommit: (fn: () => void) => void = (fn) => fn(),
  ) {}

  async append(conversationId: string, message: NewMessage): Promise<Message> {
    const stored = await this.conversations.appendMessage(conversationId, message);
    this.afterCommit(() => this.bus.publish({ type: 'message', conversationId, message: stored }));
    return stored;
  }

  /** Changes the status when it is one of `from`, and tells listeners; false when another writer got there first. */
  async changeStatus(conversationId: string, from: ConversationStatus[], changes: ConversationUpdate & { status: ConversationStatus }, guard: { assignedTo?: number } = {}): Promise<boolean> {
    const changed = await this.conversations.transition(conversationId, from, changes, guard);
    if (changed) {
      const event = {
        type: 'status' as const,
        conversationId,
        status: changes.status,
        assignedAgentId: changes.assigned_agent_id ?? null,
        reason: changes.escalation_reason ?? null,
      };
      this.afterCommit(() => this.bus.publish(event));
    }
    return changed;
  }
}
