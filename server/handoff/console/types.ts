// The API's JSON as the console sees it: the same TypeBox schemas the server validates with (types only, erased by the bundler).
import type { Static } from '@sinclair/typebox';
import type { AgentMessage as AgentMessageSchema, ConversationDetail as DetailSchema, ConversationSummary as SummarySchema, Me as MeSchema, QueueItem as QueueItemSchema } from '../agent-json.js';

export type Me = Static<typeof MeSchema>;
export type QueueItem = Static<typeof QueueItemSchema>;
export type ConversationSummary = Static<typeof SummarySchema>;
export type ConversationDetail = Static<typeof DetailSchema>;
export type AgentMessage = Static<typeof AgentMessageSchema>;
export interface KbHit {
  id: string;
  title: string;
  summary: string;
  url: string;
}
