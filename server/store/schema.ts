// The tables as Kysely sees them. One schema for SQLite and PostgreSQL:
// timestamps are ISO-8601 strings (UTC, sortable), booleans are 0/1, structured payloads are JSON text.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Channel = 'web' | 'sms' | 'voice';
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'resolved';
export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system';
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'failed';
/** `user`: the host site's own user id, signed by the site (identity verification) */
export type IdentityKind = 'web' | 'phone' | 'email' | 'user';
export type AgentRole = 'agent' | 'editor' | 'admin';

export interface CustomersTable {
  id: string;
  display_name: string | null;
  created_at: string;
}

export interface CustomerIdentitiesTable {
  id: Generated<number>;
  customer_id: string;
  kind: IdentityKind;
  /** web visitor id, E.164 phone number, lower-cased e-mail address or the host site's verified user id */
  value: string;
  created_at: string;
  /** a phone number that sent STOP: no SMS goes to it until it sends START */
  opted_out_at: string | null;
}

export interface ConversationsTable {
  id: string;
  customer_id: string;
  channel: Channel;
  locale: string;
  status: ConversationStatus;
  /** sha256 of the web chat token; null for channels that authenticate otherwise */
  token_hash: string | null;
  escalation_reason: string | null;
  assigned_agent_id: number | null;
  /** the highest message seq handed out so far */
  last_seq: number;
  /** e-mail or phone number left by the customer for an answer outside opening hours */
  callback_contact: string | null;
  rating: number | null;
  rating_comment: string | null;
  /** contact details the customer typed when starting the chat: claims, never verified, never linked as identities */
  claimed_name: string | null;
  claimed_email: string | null;
  claimed_phone: string | null;
  created_at: string;
  updated_at: string;
  queued_at: string | null;
  assigned_at: string | null;
  resolved_at: string | null;
  /** the customer's address on an outbound channel: E.164 number of an SMS or voice conversation */
  channel_address: string | null;
  /** issue 13: the page the customer wrote from, as the widget reported it (a claim, never verified) */
  page_url?: string | null;
  /** issue 13 (email): when the customer's widget socket was last open; refreshed while it is */
  customer_seen_at?: string | null;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: string;
  seq: number;
  author: MessageAuthor;
  text: string;
  /** JSON: { articles?, suggestions?, quickReplies?, decision?, agentName?, ... } */
  payload: string | null;
  /** 1 = internal note between agents, never shown to the customer */
  internal: number;
  agent_id: number | null;
  delivery_state: DeliveryState | null;
  /** the channel's own id for the message (botbuilder activity id, Twilio SID), for idempotency */
  external_id: string | null;
  created_at: string;
}

export interface SearchEventsTable {
  id: Generated<number>;
  query: string;
  locale: string;
  channel: string;
  decision: string | null;
  top_article_id: string | null;
  score: number | null;
  conversation_id: string | null;
  created_at: string;
}

export interface FeedbackTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  helpful: number;
  channel: string;
  comment: string | null;
  conversation_id: string | null;
  created_at: string;
}

export interface AgentsTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  password_hash: string;
  role: AgentRole;
  created_at: string;
  /** set when an admin disabled the agent: no login, no session */
  disabled_at: string | null;
  /** issue 13: the console's language the agent chose (`de`, `en`); null = English */
  locale?: string | null;
}

export interface AgentSessionsTable {
  /** sha256 of the session id in the cookie */
  id: string;
  agent_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** botbuilder Storage: one JSON document per key with an eTag for optimistic concurrency. */
export interface BotStateTable {
  key: string;
  etag: string;
  value: string;
  updated_at: string;
}

/** One row is inserted and rolled back to prove the database accepts writes (never committed). */
export interface WriteProbeTable {
  id: string;
}

/** An outbound delivery (SMS) waiting, being sent, or done: claimed by one worker at a time. */
export type OutboxState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  /** the transcript message this delivers (null for a message not in a transcript) */
  message_id: number | null;
  conversation_id: string;
  /** the sender that delivers it, e.g. 'sms' */
  channel: string;
  /** E.164 phone number */
  recipient: string;
  body: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  /** while `sending`: when the claim expires and the job may be claimed again */
  lease_until: string | null;
  /** the provider's id (Twilio MessageSid), for status callbacks */
  provider_id: string | null;
  /** why the last attempt failed */
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** An article opened through a link a channel sent (SMS short link). */
export interface ArticleViewsTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  channel: string;
  created_at: string;
}

// --- learned evidence (issue 11) ---
/** A customer question that usage showed an article answers: the customer picked it, or an agent sent it. */
export interface LearnedQuestionsTable {
  id: Generated<number>;
  locale: string;
  article_id: string;
  question: string;
  /** lowercased, whitespace-collapsed question: the same question is learnt once per article */
  question_key: string;
  source: LearnedSource;
  conversation_id: string | null;
  created_at: string;
}

export type LearnedSource = 'customer_pick' | 'agent_insert';
// --- end learned evidence ---

/** issue 13: an answer admins saved for agents to insert, with placeholders such as {{customer.name}} */
export interface CannedRepliesTable {
  id: Generated<number>;
  title: string;
  body: string;
  /** the conversation language it is written in; null = any */
  locale: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

// --- insights (issue 14) ---
/** What the customer did after a bot turn; null while nothing happened (read as "left"). */
export type TurnOutcome = 'picked' | 'helpful' | 'not_helpful' | 'asked_person' | 'asked_again';

/** One bot turn on any channel: the question, the decision, what was offered, and what came next. */
export interface BotTurnsTable {
  id: Generated<number>;
  conversation_id: string | null;
  query: string;
  locale: string;
  channel: string;
  /** answer | answer_with_alternatives | suggest | no_match | hand_over */
  decision: string;
  /** JSON [{ id, confidence }] of the articles offered, in order */
  articles: string;
  top_article_id: string | null;
  /** calibrated confidence (0..1) of the top hit */
  confidence: number | null;
  /** the engine's raw score of the top hit (comparable only within one search) */
  raw_score: number | null;
  outcome: TurnOutcome | null;
  /** 1-based position of the picked suggestion when outcome = picked */
  picked_option: number | null;
  outcome_at: string | null;
  /** the article an agent later sent in this conversation (KB insert) */
  agent_article_id: string | null;
  created_at: string;
}

/** One help-center search: what was shown and what was clicked. */
export interface HelpSearchesTable {
  id: Generated<number>;
  query: string;
  locale: string;
  result_count: number;
  /** JSON array of the article ids shown, in order */
  shown: string;
  clicked_article_id: string | null;
  clicked_at: string | null;
  created_at: string;
}
/** Bot turns counted per day and kind, maintained on every turn and follow-up (outcome '' = none yet, option 0 = none). */
export interface BotTurnCountsTable {
  day: string;
  locale: string;
  channel: string;
  decision: string;
  outcome: string;
  picked_option: number;
  n: number;
}

/** Bot answers per article and day, and how many were followed by "not helpful" or "a person". */
export interface ArticleAnswerCountsTable {
  day: string;
  locale: string;
  channel: string;
  article_id: string;
  answers: number;
  handovers: number;
}

/** Unconfident turns per lowercased wording and day (content gaps). */
export interface GapCountsTable {
  day: string;
  locale: string;
  channel: string;
  wording: string;
  n: number;
  agent_article_id: string | null;
  offered_article_id: string | null;
}
// --- end insights ---

// --- presence (issue 13)
export interface AgentPresenceTable {
  agent_id: number;
  /** what the agent set in the console: online, away or offline */
  chosen_state: string;
  last_active_at: string;
}

export interface AgentConnectionsTable {
  id: string;
  agent_id: number;
  last_seen: string;
}

// --- attachments (issue 13) ---
export interface AttachmentsTable {
  /** random UUID */
  id: string;
  conversation_id: string;
  /** the message that carries it; null only between upload and that message being stored */
  message_id: number | null;
  /** detected from the content, never the client's claim */
  mime_type: string;
  size: number;
  sha256: string;
  /** the client's file name, sanitised (letters, digits, . _ - and spaces) */
  file_name: string;
  content: Buffer;
  created_at: string;
}
// --- end attachments ---

// --- e-mail replies (issue 13): a link back to one conversation, only the sha256 stored
export interface ResumeTokensTable {
  token_hash: string;
  conversation_id: string;
  created_at: string;
  /** ISO time after which the link no longer opens the conversation (RESUME_LINK_DAYS after created_at) */
  expires_at: string;
}

// --- 009_insights_rollups: daily rollups kept by database triggers (read by the insights report) ---
export interface ConversationCountsTable {
  day: string;
  locale: string;
  channel: string;
  /** the escalation reason, '' when none */
  reason: string;
  conversations: number;
  self_served: number;
  handed_over: number;
  rated: number;
  satisfied: number;
}

export interface DurationCountsTable {
  day: string;
  locale: string;
  channel: string;
  kind: 'wait' | 'resolve';
  /** histogram bucket (see migration-insights-rollups.ts) */
  seconds: number;
  n: number;
}

export interface ArticleViewCountsTable {
  day: string;
  locale: string;
  channel: string;
  article_id: string;
  n: number;
}
export interface HelpSearchCountsTable {
  day: string;
  locale: string;
  /** lower-cased */
  query: string;
  total: number;
  no_result: number;
  no_click: number;
  clicked: number;
}
// --- end 009_insights_rollups ---

export interface Database {
  attachments: AttachmentsTable;
  resume_tokens: ResumeTokensTable;
  bot_turns: BotTurnsTable;
  help_searches: HelpSearchesTable;
  bot_turn_counts: BotTurnCountsTable;
  article_answer_counts: ArticleAnswerCountsTable;
  gap_counts: GapCountsTable;
  conversation_counts: ConversationCountsTable;
  duration_counts: DurationCountsTable;
  article_view_counts: ArticleViewCountsTable;
  help_search_counts: HelpSearchCountsTable;
  canned_replies: CannedRepliesTable;
  agent_presence: AgentPresenceTable;
  agent_connections: AgentConnectionsTable;
  outbox: OutboxTable;
  article_views: ArticleViewsTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  search_events: SearchEventsTable;
  feedback: FeedbackTable;
  agents: AgentsTable;
  agent_sessions: AgentSessionsTable;
  bot_state: BotStateTable;
  write_probe: WriteProbeTable;
  learned_questions: LearnedQuestionsTable;
}

export type Conversation = Selectable<ConversationsTable>;
export type NewConversation = Insertable<ConversationsTable>;
export type ConversationUpdate = Updateable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type Agent = Selectable<AgentsTable>;
