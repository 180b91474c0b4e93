// Conversation events (new message, status change) for whoever holds a live connection:
// the customer's widget socket and the agents' console. In-process now; the interface is what a
// PostgreSQL LISTEN/NOTIFY bus will implement when several instances share one database.
import { EventEmitter } from 'node:events';
import type { Message } from '../store/conversations.js';
import type { ConversationStatus, DeliveryState } from '../store/schema.js';

export type ConversationEvent =
  | { type: 'message'; conversationId: string; message: Message }
  | { type: 'status'; conversationId: string; status: ConversationStatus; assignedAgentId?: number | null; reason?: string | null }
  /** an outbound message (SMS) was sent, delivered or failed: for the agents' console */
  | { type: 'delivery'; conversationId: string; messageId: number; state: DeliveryState; error: string | null }
  /** the customer rated a resolved conversation: agents see it live (issue 13) */
  | { type: 'rating'; conversationId: string; rating: number }
  /** someone is typing (throttled by the sender's socket; never stored): the other side shows it for a few seconds */
  | { type: 'typing'; conversationId: string; who: 'customer' | 'agent'; agentName?: string };

export interface EventBus {
  publish(event: ConversationEvent): void;
  /** Events of one conversation, or of all conversations with '*'. Returns the unsubscribe function. */
  subscribe(conversationId: string | '*', listener: (event: ConversationEvent) => void): () => void;
}

export function createInProcessBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit(event.conversationId, event);
      emitter.emit('*', event);
    },
    subscribe(conversationId, listener) {
      emitter.on(conversationId, listener);
      return () => emitter.off(conversationId, listener);
    },
  };
}
