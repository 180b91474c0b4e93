// Conversation events (new message, status change) for whoever holds a live connection: the customer's
// widget socket and the agents' console, plus ended agent sessions (their sockets close). One process:
// the in-process bus below. Several processes on one PostgreSQL: postgres-bus.ts (LISTEN/NOTIFY), same interface.
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
  /** Call after the change is committed: listeners of every process may read it back at once. */
  publish(event: ConversationEvent): void;
  /** Events of one conversation, or of all conversations with '*'. Returns the unsubscribe function. */
  subscribe(conversationId: string | '*', listener: (event: ConversationEvent) => void): () => void;
  /** Agent sessions (their stored keys) that ended: logout, password reset, disabled agent. */
  publishSessionsEnded(sessionKeys: string[]): void;
  onSessionsEnded(listener: (sessionKeys: string[]) => void): () => void;
  /** Stops listening (and, for PostgreSQL, closes the listening connection). */
  close(): Promise<void>;
}

/** The listeners of one process; both buses deliver through it. */
export class LocalFanout {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(event: ConversationEvent): void {
    this.emitter.emit(`c:${event.conversationId}`, event);
    this.emitter.emit('c:*', event);
  }

  subscribe(conversationId: string, listener: (event: ConversationEvent) => void): () => void {
    this.emitter.on(`c:${conversationId}`, listener);
    return () => this.emitter.off(`c:${conversationId}`, listener);
  }

  emitSessionsEnded(sessionKeys: string[]): void {
    this.emitter.emit('sessions-ended', sessionKeys);
  }

  onSessionsEnded(listener: (sessionKeys: string[]) => void): () => void {
    this.emitter.on('sessions-ended', listener);
    return () => this.emitter.off('sessions-ended', listener);
  }

  clear(): void {
    this.emitter.removeAllListeners();
  }
}

export function createInProcessBus(): EventBus {
  const local = new LocalFanout();
  return {
    publish: (event) => local.emit(event),
    subscribe: (conversationId, listener) => local.subscribe(conversationId, listener),
    publishSessionsEnded: (keys) => local.emitSessionsEnded(keys),
    onSessionsEnded: (listener) => local.onSessionsEnded(listener),
    async close() {},
  };
}
