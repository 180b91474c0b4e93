// SMS rendering: an article is its summary plus a short link, within 2 segments (the summary is shortened
// at a word, never the link); suggestions are a numbered list the customer answers with a digit;
// buttons become words to reply (YES/NO, AGENT). One activity per SMS.
import type { Activity } from 'botbuilder';
import type { ArticleRef, Locale, ReplyOption } from '../ports.js';
import { Actions } from '../understanding.js';
import { stringsFor } from '../strings.js';
import type { ReplyRenderer } from './index.js';
import { withTranscript } from './transcript-entry.js';
import { apology, away, joinSentences, language, noticeText, passingOn, queuePosition } from './handoff-words.js';
import { fitSms, gsmTwins } from './sms-length.js';

export const SMS_SEGMENTS = 2;

const words = {
  en: {
    didItHelp: 'Did that help? Reply YES or NO',
    didYouMean: 'Did you mean:',
    replyNumber: (numbers: string) => `Reply ${numbers}`,
    or: 'or',
    person: 'Reply AGENT for a person.',
    answerHere: "We'll answer you here by SMS.",
    closed: 'This conversation is closed. Thank you for your message!',
  },
  de: {
    didItHelp: 'Hat das geholfen? Antworten Sie JA oder NEIN',
    didYouMean: 'Meinten Sie:',
    replyNumber: (numbers: string) => `Antworten Sie ${numbers}`,
    or: 'oder',
    person: 'Antworten Sie MENSCH für einen Mitarbeiter.',
    answerHere: 'Wir antworten Ihnen hier per SMS.',
    closed: 'Dieses Gespräch ist abgeschlossen. Danke für Ihre Nachricht!',
  },
};

function w(locale: Locale) {
  return words[language(locale)];
}

/** The article as one SMS: summary (shortened at a word if needed), the short link, the feedback question. */
export function smsAnswerText(article: ArticleRef, locale: Locale): string {
  return fitSms(gsmTwins(article.summary.trim()), `\n${article.shortUrl ?? article.url}\n${w(locale).didItHelp}`, SMS_SEGMENTS);
}

function numbers(count: number, locale: Locale): string {
  const list = Array.from({ length: count }, (_, i) => String(i + 1));
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} ${w(locale).or} ${list.at(-1)}`;
}

export const smsReplies: ReplyRenderer = {
  showsAlternativesWithAnswer: false,
  answer(article, locale) {
    const s = stringsFor(locale);
    const quickReplies: ReplyOption[] = [
      { label: s.yesHelped, action: Actions.helpful },
      { label: s.no, action: Actions.notHelpful },
    ];
    return [withTranscript({ type: 'message', text: smsAnswerText(article, locale) }, { author: 'bot', payload: { articles: [article], quickReplies, decision: 'answer' } })];
  },

  suggestions(articles, locale) {
    const suggestions: ReplyOption[] = articles.map((a) => ({ label: a.title, action: Actions.article(a.id) }));
    const text = [w(locale).didYouMean, ...articles.map((a, i) => `${i + 1} ${a.title}`), w(locale).replyNumber(numbers(articles.length, locale))].join('\n');
    return [withTranscript({ type: 'message', text }, { author: 'bot', payload: { suggestions, decision: 'suggest' } })];
  },

  text(text, { author = 'bot', quickReplies, decision, locale }) {
    const offersPerson = quickReplies?.some((q) => q.action === Actions.human);
    const payload = quickReplies?.length || decision ? { ...(quickReplies?.length ? { quickReplies } : {}), ...(decision ? { decision } : {}) } : null;
    return [withTranscript({ type: 'message', text: offersPerson ? joinSentences(text, w(locale).person) : text }, { author, payload })];
  },

  handoff(outcome, locale) {
    const status =
      outcome.kind === 'queued'
        ? joinSentences(passingOn(locale), queuePosition(locale, outcome.position, outcome.waitMinutes))
        : joinSentences(away(locale, outcome.nextOpening, outcome.timeZone), w(locale).answerHere);
    const activity: Partial<Activity> = { type: 'message', text: joinSentences(apology(outcome.reason, locale), status) };
    return [withTranscript(activity, { author: 'bot', payload: { decision: 'escalate' } })];
  },

  notice(outcome, locale) {
    // no star rating by SMS: a reply would open a new conversation
    if (outcome.kind === 'resolved') return w(locale).closed;
    return noticeText(outcome, locale);
  },
};
