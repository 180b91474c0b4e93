// Conversation scripts for the bot, in German and English. Each step is what the customer says
// (or which button they press) and every reply the bot gives to it, in order; `replies: []` is silence.
import type { KbHit } from '../../bot/ports.js';

export interface ExpectedReply {
  author?: 'bot' | 'system';
  text?: RegExp;
  /** ids of the article cards */
  articles?: string[];
  /** actions of the "did you mean" chips */
  suggestions?: string[];
  /** actions of the quick replies */
  quickReplies?: string[];
  decision?: string;
}

export interface Step {
  say?: string;
  press?: string;
  replies: ExpectedReply[];
}

export interface Script {
  name: string;
  /** the locale the channel states; null = unknown, the bot detects it */
  locale: 'de' | 'en' | null;
  steps: Step[];
  escalations?: Array<{ reason: string; offeredArticleIds?: string[]; feedback?: Array<{ articleId: string; helpful: boolean }> }>;
  feedback?: Array<{ articleId: string; helpful: boolean }>;
}

function hit(id: string, locale: string, title: string, summary: string, confidence: number): KbHit {
  return { id, locale, title, summary, url: `https://help.example/${locale}/${id}`, score: confidence * 10, confidence, snippet: '' };
}

/** The fake KB: a few questions it is sure about, a few it can only guess, nothing else. */
export const kbAnswers: Array<{ locale: string; pattern: RegExp; hits: KbHit[] }> = [
  {
    locale: 'en',
    pattern: /abroad/i,
    hits: [
      hit('transfer-abroad', 'en', 'Sending money abroad', 'SEPA transfers reach any euro country in a day.', 0.8),
      hit('transfer-limits', 'en', 'How much can I transfer?', 'Up to 10,000 EUR a day.', 0.35),
      hit('fees', 'en', 'What does a transfer cost?', 'Transfers in euro are free.', 0.3),
    ],
  },
  { locale: 'en', pattern: /card.*arrive|arrive.*card/i, hits: [hit('card-arrival', 'en', 'When will my card arrive?', 'New cards arrive within 3 to 5 working days.', 0.92)] },
  {
    locale: 'en',
    pattern: /money|transfer/i,
    hits: [
      hit('transfer-limits', 'en', 'How much can I transfer?', 'Up to 10,000 EUR a day.', 0.38),
      hit('fees', 'en', 'What does a transfer cost?', 'Transfers in euro are free.', 0.31),
    ],
  },
  { locale: 'de', pattern: /karte/i, hits: [hit('karte-lieferung', 'de', 'Wann kommt meine Karte?', 'Neue Karten kommen in 3 bis 5 Werktagen.', 0.9)] },
  {
    locale: 'de',
    pattern: /geld|überweis/i,
    hits: [
      hit('ueberweisungslimit', 'de', 'Wie viel kann ich überweisen?', 'Bis zu 10.000 EUR am Tag.', 0.4),
      hit('gebuehren', 'de', 'Was kostet eine Überweisung?', 'Überweisungen in Euro sind kostenlos.', 0.33),
    ],
  },
];

const ANSWER_FEEDBACK = ['feedback:yes', 'feedback:no', 'handoff'];

export const scripts: Script[] = [
  {
    name: 'en: greeting, thanks and goodbye are small talk',
    locale: 'en',
    steps: [
      { say: 'Hello!', replies: [{ author: 'bot', text: /How can I help/ }] },
      { say: 'thank you', replies: [{ text: /welcome/ }] },
      { say: 'bye', replies: [{ text: /Goodbye/ }] },
    ],
  },
  {
    name: 'en: a confident answer, then "yes, that helped" is recorded',
    locale: 'en',
    steps: [
      {
        say: 'When will my card arrive?',
        replies: [
          { author: 'bot', articles: ['card-arrival'], decision: 'answer', text: /article should help/ },
          { author: 'bot', text: /Did this answer your question\?/, quickReplies: ANSWER_FEEDBACK },
        ],
      },
      { press: 'feedback:yes', replies: [{ text: /glad/ }] },
    ],
    feedback: [{ articleId: 'card-arrival', helpful: true }],
  },
  {
    name: 'en: two plausible articles are suggested, and a click shows one',
    locale: 'en',
    steps: [
      { say: 'how much money can I send', replies: [{ text: /Did you mean/, suggestions: ['article:transfer-limits', 'article:fees'], quickReplies: ['suggest:none', 'handoff'], decision: 'suggest' }] },
      { press: 'article:fees', replies: [{ articles: ['fees'] }, { quickReplies: ANSWER_FEEDBACK }] },
    ],
  },
  {
    name: 'en: asking for a person escalates; while queued each message is acknowledged and a confident answer still comes',
    locale: 'en',
    steps: [
      { say: 'Can I talk to a human please?', replies: [{ author: 'bot', decision: 'escalate', text: /colleague/ }, { author: 'system', text: /queue/ }] },
      { say: 'hello? are you there?', replies: [{ author: 'system', text: /with the team/, decision: 'with_the_team' }] },
      {
        say: 'When will my card arrive?',
        replies: [
          { author: 'system', text: /with the team/ },
          { author: 'bot', articles: ['card-arrival'], decision: 'answer_while_waiting', text: /While you wait/ },
        ],
      },
      { say: 'how much money can I send', replies: [{ author: 'system', text: /with the team/ }] },
      { say: 'I would like to speak to a human please', replies: [{ author: 'system', text: /already in the queue, at number 1/, decision: 'already_queued' }] },
    ],
    escalations: [{ reason: 'customer_request' }, { reason: 'customer_request' }],
  },
  {
    name: 'en: two unanswered questions in a row escalate',
    locale: 'en',
    steps: [
      { say: 'My frobnicator is wobbling', replies: [{ text: /other words/, decision: 'no_match', quickReplies: ['handoff'] }] },
      { say: 'The zorblax will not start', replies: [{ author: 'bot', text: /colleague/ }, { author: 'system' }] },
    ],
    escalations: [{ reason: 'no_answer' }],
  },
  {
    name: 'en: "that did not help" offers a rephrase and a person; picking the person hands over with the article and the feedback',
    locale: 'en',
    steps: [
      { say: 'my card did not arrive', replies: [{ articles: ['card-arrival'] }, { quickReplies: ANSWER_FEEDBACK }] },
      { say: 'That did not help', replies: [{ text: /did not help.*other words/, decision: 'not_helpful', quickReplies: ['rephrase', 'handoff'] }] },
      { press: 'rephrase', replies: [{ text: /what are you looking for/, quickReplies: ['handoff'] }] },
      { press: 'handoff', replies: [{ author: 'bot', text: /colleague/ }, { author: 'system' }] },
    ],
    escalations: [{ reason: 'customer_request', offeredArticleIds: ['card-arrival'], feedback: [{ articleId: 'card-arrival', helpful: false }] }],
    feedback: [{ articleId: 'card-arrival', helpful: false }],
  },
  {
    name: 'en: pressing "No" on an answer offers the runners-up of the same search, and one can be picked',
    locale: 'en',
    steps: [
      { say: 'how do I transfer money abroad', replies: [{ articles: ['transfer-abroad'] }, { quickReplies: ANSWER_FEEDBACK }] },
      { press: 'feedback:no', replies: [{ text: /Maybe one of these/, quickReplies: ['article:transfer-limits', 'article:fees', 'rephrase', 'handoff'] }] },
      { press: 'article:fees', replies: [{ articles: ['fees'] }, { quickReplies: ANSWER_FEEDBACK }] },
    ],
    feedback: [{ articleId: 'transfer-abroad', helpful: false }],
  },
  {
    name: 'en: small talk the KB does not know never hands over by itself; the person is a button',
    locale: 'en',
    steps: [
      { say: 'who won the football game', replies: [{ text: /other words/, decision: 'off_topic', quickReplies: ['handoff'] }] },
      { say: 'what is the weather like today', replies: [{ text: /other words/, decision: 'off_topic', quickReplies: ['handoff'] }] },
      { say: 'and who is the best football team', replies: [{ decision: 'off_topic' }] },
    ],
  },
  {
    name: 'de: Begrüßung und Dank',
    locale: 'de',
    steps: [
      { say: 'Hallo', replies: [{ text: /Wie kann ich Ihnen helfen/ }] },
      { say: 'Danke schön', replies: [{ text: /Gern geschehen/ }] },
      { say: 'Tschüss', replies: [{ text: /Auf Wiedersehen/ }] },
    ],
  },
  {
    name: 'de: eine sichere Antwort, dann „Ja, das hat geholfen“',
    locale: 'de',
    steps: [
      {
        say: 'Wann kommt meine Karte?',
        replies: [
          { articles: ['karte-lieferung'], text: /Artikel sollte Ihnen helfen/ },
          { text: /Hat das Ihre Frage beantwortet/, quickReplies: ANSWER_FEEDBACK },
        ],
      },
      { say: 'Ja', replies: [{ text: /helfen konnte/ }] },
    ],
    feedback: [{ articleId: 'karte-lieferung', helpful: true }],
  },
  {
    name: 'de: zwei passende Artikel werden vorgeschlagen',
    locale: 'de',
    steps: [{ say: 'Wie viel Geld kann ich senden?', replies: [{ text: /Meinten Sie/, suggestions: ['article:ueberweisungslimit', 'article:gebuehren'] }] }],
  },
  {
    name: 'de: der Wunsch nach einem Mitarbeiter eskaliert, danach schweigt der Bot',
    locale: 'de',
    steps: [
      { say: 'Ich möchte mit einem Mitarbeiter sprechen', replies: [{ author: 'bot', text: /Kollegen/ }, { author: 'system', text: /Warteschlange/ }] },
      { say: 'Hallo?', replies: [{ author: 'system', text: /liegt unserem Team vor/ }] },
      { say: 'Wann kommt meine Karte?', replies: [{ author: 'system' }, { articles: ['karte-lieferung'], text: /Während Sie warten/ }] },
    ],
    escalations: [{ reason: 'customer_request' }],
  },
  {
    name: 'de: zwei unbeantwortete Fragen nacheinander eskalieren',
    locale: 'de',
    steps: [
      { say: 'Mein Frobnikator wackelt', replies: [{ text: /anderen Worten/ }] },
      { say: 'Der Zorblax startet nicht', replies: [{ text: /Kollegen/ }, { author: 'system' }] },
    ],
    escalations: [{ reason: 'no_answer' }],
  },
  {
    name: 'de: „Das hat nicht geholfen“ bietet Umformulieren und einen Mitarbeiter an',
    locale: 'de',
    steps: [
      { say: 'Wo bleibt meine Karte', replies: [{ articles: ['karte-lieferung'] }, { quickReplies: ANSWER_FEEDBACK }] },
      { say: 'Das hat mir nicht geholfen', replies: [{ text: /nicht geholfen.*anders formulieren/, quickReplies: ['rephrase', 'handoff'] }] },
      { press: 'handoff', replies: [{ text: /Kollegen/ }, { author: 'system' }] },
    ],
    escalations: [{ reason: 'customer_request', offeredArticleIds: ['karte-lieferung'] }],
    feedback: [{ articleId: 'karte-lieferung', helpful: false }],
  },
  {
    name: 'unknown locale: a German question is detected and answered in German',
    locale: null,
    steps: [{ say: 'Wann kommt meine neue Karte an?', replies: [{ articles: ['karte-lieferung'], text: /Artikel/ }, { text: /beantwortet/ }] }],
  },
  {
    name: 'unknown locale: an English question is answered in English',
    locale: null,
    steps: [{ say: 'When will my new card arrive?', replies: [{ articles: ['card-arrival'], text: /article/ }, { text: /answer your question/ }] }],
  },
];
