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
  /** a short absolute link to the article for SMS (counts the view); absent where the KB has none */
  shortUrl?: string;
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

/**
 * What the handoff did, as data: each channel's renderer in bot/replies words it for its channel.
 * The handoff never writes customer-facing sentences.
 */
export type HandoffOutcome =
  | { kind: 'queued'; reason: EscalationReason; position: number; waitMinutes: number }
  /** outside opening hours: still queued; `nextOpening` is an ISO instant (null when the team never opens) */
  | { kind: 'offline'; reason: EscalationReason; nextOpening: string | null; timeZone: string }
  | { kind: 'callback_recorded'; contact: string }
  | { kind: 'agent_joined'; agentName: string }
  | { kind: 'handed_back' }
  | { kind: 'resolved'; ratingRequest: { min: number; max: number } };

/** The outcome of an escalation: queued (in opening hours) or offline. */
export type EscalationOutcome = Extract<HandoffOutcome, { kind: 'queued' | 'offline' }>;

export interface Handoff {
  /** Whether a person owns this conversation now (queued or assigned): the bot then stays silent. */
  isWithHuman(conversationId: string): Promise<boolean>;
  /**
   * Where a conversation with a person stands: waiting in the queue or with an agent; null while with the bot.
   * `awaitingContact`: queued outside opening hours without a contact yet (the handoff confirms one itself).
   */
  humanStatus(conversationId: string): Promise<{ status: 'queued' | 'assigned'; awaitingContact?: boolean } | null>;
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

/** The decision a bot turn recorded (policy decisions, plus a no-match that handed over). */
export type TurnDecision = 'answer' | 'answer_with_alternatives' | 'suggest' | 'no_match' | 'hand_over';

/** What the customer did after a bot turn (insights): recorded on that turn by the next one. */
export type TurnFollowUp =
  | { kind: 'picked'; option: number }
  | { kind: 'helpful' }
  | { kind: 'not_helpful' }
  | { kind: 'asked_person' }
  | { kind: 'asked_again' };

/** Every bot turn in units that add up: the question, the decision, the offer, what came next. */
export interface TurnLog {
  record(turn: {
    conversationId: string | null;
    query: string;
    locale: Locale;
    channel: string;
    decision: TurnDecision;
    /** offered articles, in order, with their calibrated confidence */
    articles: Array<{ id: string; confidence: number }>;
    /** the engine's raw score of the top hit */
    rawScore: number | null;
  }): Promise<void>;
  /** marks the conversation's latest bot turn that has no follow-up yet */
  followUp(conversationId: string, followUp: TurnFollowUp): Promise<void>;
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
  shortUrl?: string;
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
    /** pictures or files the customer sent (MMS) */
    media?: Array<{ url: string; contentType: string }>;
    /** on the phone: which key stands for which action in this prompt */
    menu?: Record<string, string>;
    /** how a caller answered: speech with the recogniser's confidence, or keypad digits */
    input?: { kind: 'speech' | 'digits'; confidence?: number };
  } | null;
  /** the channel's id of the activity, when it has one */
  externalId?: string | null;
}

/** Where every inbound and outbound activity is written, committed before the reply is acknowledged. */
export interface TranscriptStore<Stored = unknown> {
  append(conversationId: string, entry: TranscriptEntry): Promise<Stored>;
}

/** The articles customers ask about most in a locale (recent history, else the first few): the greeting's starter topics. */
export interface StarterTopics {
  forLocale(locale: Locale): Promise<ArticleRef[]>;
}
