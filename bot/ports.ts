// What the bot needs from the outside world. The server wires real implementations in;
// tests pass small fakes. Nothing in bot/ imports from server/.

export type Locale = string; // 'de' | 'en' for the sample KB; any folder name under kb-content/

/** One candidate article for a customer's question, best first. */
export interface KbHit {
  id: string;
  locale: Locale;
  title: string;
  summary: string;
  /** absolute URL of the article in the help center */
  url: string;
  /** the engine's score; higher is better, comparable only within one search */
  score: number;
  /** the engine's calibrated confidence that this hit answers the question, 0..1 */
  confidence: number;
  /** short HTML-escaped excerpt with <mark> around matched words */
  snippet: string;
}

export interface KbSearchResult {
  hits: KbHit[];
  /** the engine's own calibrated thresholds for this KB and locale (see bot/policy.ts) */
  calibration?: { answerAt: number; alternativesAt?: number; suggestAt: number };
}

export interface KnowledgeBase {
  search(query: string, locale: Locale, options?: { limit?: number }): Promise<KbSearchResult>;
  /** The locales the KB has articles in; the first is the default. */
  locales(): Locale[];
}

export type EscalationReason = 'customer_request' | 'no_answer' | 'not_helpful' | 'voice_transfer';

export interface ConversationRef {
  conversationId: string;
  channel: string;
  locale: Locale;
}

/** What the customer is told after an escalation (already in their language). */
export interface EscalationOutcome {
  /** system notice(s) for the customer: queued, position, expected wait, or the offline flow */
  notices: string[];
  /** true outside opening hours: the bot may ask for a contact for the answer */
  offline: boolean;
}

export interface Handoff {
  /** Whether a person owns this conversation now (queued or assigned): the bot then stays silent. */
  isWithHuman(conversationId: string): Promise<boolean>;
  escalate(conversation: ConversationRef, reason: EscalationReason, context: EscalationContext): Promise<EscalationOutcome>;
}

export interface EscalationContext {
  /** ids of the articles the bot offered in this conversation */
  offeredArticleIds: string[];
  /** the customer's feedback on offered articles */
  feedback: Array<{ articleId: string; helpful: boolean }>;
}

/** Records what the bot decided for each question: the raw material for content-gap reports. */
export interface SearchLog {
  record(event: {
    query: string;
    locale: Locale;
    channel: string;
    decision: string;
    topArticleId: string | null;
    score: number | null;
    conversationId: string | null;
  }): Promise<void>;
}

/** Learned evidence: a customer question that usage tied to an article (see server/store/learned.ts). */
export interface LearningLog {
  record(event: { question: string; articleId: string; locale: Locale; source: 'customer_pick' | 'agent_insert'; conversationId: string | null }): Promise<unknown>;
}

export interface FeedbackLog {
  record(event: { articleId: string; locale: Locale; helpful: boolean; channel: string; conversationId: string | null }): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** An article as the bot shows it and as the transcript remembers it. */
export interface ArticleRef {
  id: string;
  title: string;
  summary: string;
  url: string;
}

/** A button the customer can press; the channel sends `action` back as the customer's answer. */
export interface ReplyOption {
  label: string;
  action: string;
}

export type TranscriptAuthor = 'customer' | 'bot' | 'system';

/** One activity of a conversation as the transcript stores it. */
export interface TranscriptEntry {
  author: TranscriptAuthor;
  text: string;
  payload: {
    articles?: ArticleRef[];
    suggestions?: ReplyOption[];
    quickReplies?: ReplyOption[];
    /** what the bot decided on this turn: answer | suggest | no_match | escalate | small_talk … */
    decision?: string;
    /** the button value the customer pressed */
    action?: string;
    locale?: Locale;
  } | null;
  /** the channel's id of the activity, when it has one */
  externalId?: string | null;
}

/** Where every inbound and outbound activity is written, committed before the reply is acknowledged. */
export interface TranscriptStore<Stored = unknown> {
  append(conversationId: string, entry: TranscriptEntry): Promise<Stored>;
}
