// The seam between what the bot means and how a channel shows it. The bot decides *what* to say
// (an article, a few suggestions, a sentence with buttons); a renderer per channel turns that into
// activities. Every activity carries its transcript entry in channelData, so the transcript
// middleware stores the same meaning whatever the channel made of it.
import type { Activity } from 'botbuilder';
import type { ArticleRef, EscalationOutcome, HandoffOutcome, Locale, ReplyOption } from '../ports.js';
import { webReplies } from './web.js';
import { smsReplies } from './sms.js';
import { voiceReplies } from './voice.js';
import { stringsFor } from '../strings.js';

export { withTranscript, transcriptEntryOf } from './transcript-entry.js';

export interface ReplyRenderer {
  /**
   * Whether an answer can carry "or did you mean…" alternatives under it (the web's buttons). SMS and voice
   * cannot: there one uncertain best article is offered in a short numbered choice with its alternatives instead.
   */
  showsAlternativesWithAnswer: boolean;
  /** one article, followed by "did this answer your question?" (and "or did you mean…" with alternatives) */
  answer(article: ArticleRef, locale: Locale, alternatives?: ArticleRef[]): Partial<Activity>[];
  /** two or three candidates: "did you mean …?" */
  suggestions(articles: ArticleRef[], locale: Locale): Partial<Activity>[];
  /** a sentence from the bot (or a system notice), with optional buttons */
  text(text: string, options: TextOptions): Partial<Activity>[];
  /** the bot handed the conversation over: say why (once), and queued with position and wait, or offline */
  handoff(outcome: EscalationOutcome, locale: Locale): Partial<Activity>[];
  /** an article the bot found while the customer waits for a person: help, not the answer (no "did this answer?") */
  waitingAnswer?(article: ArticleRef, locale: Locale): Partial<Activity>[];
  /** a notice the handoff stores outside a bot turn (agent joined, handed back, resolved, contact recorded) */
  notice(outcome: HandoffNotice, locale: Locale): string;
}

export type HandoffNotice = Exclude<HandoffOutcome, { kind: 'queued' | 'offline' }>;

export interface TextOptions {
  locale: Locale;
  author?: 'bot' | 'system';
  quickReplies?: ReplyOption[];
  decision?: string;
}

/** Channels without a renderer of their own (yet) get the web rendering: plain text plus buttons. */
const renderers: Record<string, ReplyRenderer> = { web: webReplies, sms: smsReplies, voice: voiceReplies };

export function rendererFor(channel: string): ReplyRenderer {
  return renderers[channel] ?? webReplies;
}

export function showsAlternativesWithAnswer(channel: string): boolean {
  return rendererFor(channel).showsAlternativesWithAnswer;
}

export function renderAnswer(channel: string, article: ArticleRef, locale: Locale, alternatives: ArticleRef[] = []): Partial<Activity>[] {
  return rendererFor(channel).answer(article, locale, alternatives);
}

export function renderSuggestions(channel: string, articles: ArticleRef[], locale: Locale): Partial<Activity>[] {
  return rendererFor(channel).suggestions(articles, locale);
}

export function renderHandoff(channel: string, outcome: EscalationOutcome, locale: Locale): Partial<Activity>[] {
  return rendererFor(channel).handoff(outcome, locale);
}

export function renderNotice(channel: string, outcome: HandoffNotice, locale: Locale): string {
  return rendererFor(channel).notice(outcome, locale);
}

export function renderWaitingAnswer(channel: string, article: ArticleRef, locale: Locale): Partial<Activity>[] {
  const renderer = rendererFor(channel);
  if (renderer.waitingAnswer) return renderer.waitingAnswer(article, locale);
  // channels without a card: the lead, the title, the summary and the link as one text
  const text = `${stringsFor(locale).whileYouWait} ${article.title}. ${article.summary} ${article.shortUrl ?? article.url}`;
  return renderer.text(text, { locale, decision: 'answer_while_waiting' });
}

export function renderText(channel: string, text: string, options: TextOptions): Partial<Activity>[] {
  return rendererFor(channel).text(text, options);
}
