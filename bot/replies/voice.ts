// Voice rendering: what the caller hears. An answer is its summary as natural speech, then the menu
// ("Did that help? Say yes or press 1. Press 2 and we'll text you the link. Press 0 for a person.");
// suggestions become a keypad menu. Each message records its menu (digit -> action) for the voice channel.
import type { Activity } from 'botbuilder';
import type { ArticleRef, Locale, ReplyOption } from '../ports.js';
import { Actions } from '../understanding.js';
import { stringsFor } from '../strings.js';
import type { ReplyRenderer } from './index.js';
import { withTranscript } from './transcript-entry.js';
import { apology, formatOpening, joinSentences, language } from './handoff-words.js';
import { speakable } from './speech.js';
import { smsReplies } from './sms.js';

/** Keypad choices only the voice channel handles (not the bot). */
export const VoiceActions = { smsLink: 'voice:sms_link', callback: 'voice:callback' } as const;

const words = {
  en: {
    answerMenu: "Did that help? Say yes or press 1. Press 2 and we'll text you the link. Press 0 for a person.",
    found: 'I found a few articles.',
    forPress: (title: string, digit: number) => `For ${title}, press ${digit}.`,
    zero: 'Press 0 for a person.',
    askOrZero: 'Ask your question, or press 0 for a person.',
    connecting: "I'm connecting you with a colleague, who can see our conversation so far. Please hold.",
    away: (at: string | undefined) => (at ? `Our team is away right now. We're back on ${at}.` : 'Our team is away right now.'),
    offerCallback: "Press 1 and we'll call you back at this number. Or simply hang up.",
  },
  de: {
    answerMenu: 'Hat das geholfen? Sagen Sie ja oder drücken Sie die 1. Drücken Sie die 2, und wir schicken Ihnen den Link per SMS. Drücken Sie die 0 für einen Mitarbeiter.',
    found: 'Ich habe mehrere Artikel gefunden.',
    forPress: (title: string, digit: number) => `Für ${title} drücken Sie die ${digit}.`,
    zero: 'Drücken Sie die 0 für einen Mitarbeiter.',
    askOrZero: 'Stellen Sie Ihre Frage, oder drücken Sie die 0 für einen Mitarbeiter.',
    connecting: 'Ich verbinde Sie mit einem Kollegen, der unser bisheriges Gespräch sieht. Bitte bleiben Sie dran.',
    away: (at: string | undefined) => (at ? `Unser Team ist gerade nicht da. Wir sind ab ${at} Uhr wieder erreichbar.` : 'Unser Team ist gerade nicht da.'),
    offerCallback: 'Drücken Sie die 1, und wir rufen Sie unter dieser Nummer zurück. Oder legen Sie einfach auf.',
  },
};

export function voiceWords(locale: Locale) {
  return words[language(locale)];
}

export const voiceReplies: ReplyRenderer = {
  showsAlternativesWithAnswer: false,
  answer(article: ArticleRef, locale) {
    const s = stringsFor(locale);
    const quickReplies: ReplyOption[] = [
      { label: s.yesHelped, action: Actions.helpful },
      { label: 'SMS', action: VoiceActions.smsLink },
      { label: s.talkToPerson, action: Actions.human },
    ];
    const menu = { '1': Actions.helpful, '2': VoiceActions.smsLink, '0': Actions.human };
    const text = joinSentences(speakable(article.summary, locale), voiceWords(locale).answerMenu);
    return [withTranscript({ type: 'message', speak: text, text }, { author: 'bot', payload: { articles: [article], quickReplies, decision: 'answer', menu } })];
  },

  suggestions(articles, locale) {
    const w = voiceWords(locale);
    const suggestions: ReplyOption[] = articles.map((a) => ({ label: a.title, action: Actions.article(a.id) }));
    const menu: Record<string, string> = { '0': Actions.human };
    articles.forEach((a, i) => (menu[String(i + 1)] = Actions.article(a.id)));
    const text = joinSentences(w.found, ...articles.map((a, i) => w.forPress(speakable(a.title, locale), i + 1)), w.zero);
    return [withTranscript({ type: 'message', speak: text, text }, { author: 'bot', payload: { suggestions, decision: 'suggest', menu } })];
  },

  text(text, { author = 'bot', quickReplies, decision, locale }) {
    const w = voiceWords(locale);
    const offersPerson = decision === 'greeting' || quickReplies?.some((q) => q.action === Actions.human);
    const spoken = joinSentences(speakable(text, locale, 60), decision === 'greeting' ? w.askOrZero : offersPerson ? w.zero : '');
    const payload = { ...(quickReplies?.length ? { quickReplies } : {}), ...(decision ? { decision } : {}), ...(offersPerson ? { menu: { '0': Actions.human } } : {}) };
    return [withTranscript({ type: 'message', speak: spoken, text: spoken }, { author, payload: Object.keys(payload).length ? payload : null })];
  },

  handoff(outcome, locale) {
    const w = voiceWords(locale);
    if (outcome.kind === 'queued') {
      const text = joinSentences(apology(outcome.reason, locale), w.connecting);
      return [withTranscript({ type: 'message', speak: text, text }, { author: 'bot', payload: { decision: 'escalate' } })];
    }
    const at = outcome.nextOpening ? formatOpening(new Date(outcome.nextOpening), locale, outcome.timeZone) : undefined;
    const text = joinSentences(apology(outcome.reason, locale), w.away(at), w.offerCallback);
    return [withTranscript({ type: 'message', speak: text, text }, { author: 'bot', payload: { decision: 'escalate', menu: { '1': VoiceActions.callback } } })];
  },

  // notices after the call (agent joined, resolved) reach a caller by SMS
  notice(outcome, locale) {
    return smsReplies.notice(outcome, locale);
  },
};
