// The seam between what the bot means and how a channel shows it. The bot decides *what* to say
// (an article, a few suggestions, a sentence with buttons); a renderer per channel turns that into
// activities. Every activity carries its transcript entry in channelData, so the transcript
// middleware stores the same meaning whatever the channel made of it.
import type { Activity } from 'botbuilder';
import type { ArticleRef, Locale, ReplyOption } from '../ports.js';
import { webReplies } from './web.js';

export { withTranscript, transcriptEntryOf } from './transcript-entry.js';

export interface ReplyRenderer {
  /** one article, followed by "did this answer your question?" (and "or did you mean…" with alternatives) */
  answer(article: ArticleRef, locale: Locale, alternatives?: ArticleRef[]): Partial<Activity>[];
  /** two or three candidates: "did you mean …?" */
  suggestions(articles: ArticleRef[], locale: Locale): Partial<Activity>[];
  /** a sentence from the bot (or a system notice), with optional buttons */
  text(text: string, options: TextOptions): Partial<Activity>[];
}

export interface TextOptions {
  locale: Locale;
  author?: 'bot' | 'system';
  quickReplies?: ReplyOption[];
  decision?: string;
}

/** Channels without a renderer of their own (yet) get the web rendering: plain text plus buttons. */
const renderers: Record<string, ReplyRenderer> = { web: webReplies };

export function rendererFor(channel: string): ReplyRenderer {
  return renderers[channel] ?? webReplies;
}

export function renderAnswer(channel: string, article: ArticleRef, locale: Locale, alternatives: ArticleRef[] = []): Partial<Activity>[] {
  return rendererFor(channel).answer(article, locale, alternatives);
}

export function renderSuggestions(channel: string, articles: ArticleRef[], locale: Locale): Partial<Activity>[] {
  return rendererFor(channel).suggestions(articles, locale);
}

export function renderText(channel: string, text: string, options: TextOptions): Partial<Activity>[] {
  return rendererFor(channel).text(text, options);
}
