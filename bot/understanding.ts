// What the customer meant, in German and English: a small keyword matcher, not a model.
// Small talk (greeting, thanks, yes/no) only counts when it is the whole message, so
// "Hallo, meine Karte ist weg" is a question for the KB, not a greeting.
import type { Locale } from './ports.js';

export type Intent =
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'goodbye' }
  | { kind: 'human' }
  | { kind: 'not_helpful' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'show_article'; articleId: string }
  | { kind: 'none_of_these' }
  | { kind: 'rephrase' }
  | { kind: 'question'; text: string }
  | { kind: 'empty' };

/** Values of the buttons the bot offers; the channel sends one back as the customer's action. */
export const Actions = {
  helpful: 'feedback:yes',
  notHelpful: 'feedback:no',
  human: 'handoff',
  noneOfThese: 'suggest:none',
  rephrase: 'rephrase',
  article: (id: string) => `article:${id}`,
} as const;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’`´]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** true when the whole message is one of the phrases, give or take politeness filler */
function whole(text: string, phrases: RegExp): boolean {
  const filler = /\b(please|bitte|thanks|thank you|danke|ok|okay|oh|ah|well|also|na)\b/g;
  return phrases.test(text) || phrases.test(text.replace(filler, ' ').replace(/\s+/g, ' ').trim());
}

const GREETING = /^(hi|hello|hey|hiya|good (morning|afternoon|evening)|hallo|moin|servus|gr(ü|ue)(ß|ss) (gott|dich|sie)|guten (morgen|tag|abend)|hi there|hello there|hallo zusammen)( there| zusammen)?$/;
const THANKS = /^(thanks?|thank you( (so|very) much)?|thx|cheers|danke( schön| sehr| vielmals)?|vielen dank|merci)$/;
const GOODBYE = /^(bye|goodbye|bye bye|see you|ciao|tsch(ü|ue)ss?|auf wiedersehen|bis bald|sch(ö|oe)nen tag( noch)?|have a nice day)$/;
const YES = /^(yes|yeah|yep|yup|sure|correct|it did|that helped|yes that helped|yes it did|ja|jawohl|genau|richtig|hat geholfen|das hat geholfen|ja das hat geholfen|ja hat es)( (it|that|es) (did|helped|hat geholfen))?$/;
const NO = /^(no|nope|nah|not really|nein|ne|n(ö|oe)|nicht wirklich|no it did not|no it didn't|nein hat es nicht)$/;
const NOT_HELPFUL = /\b(did ?n[o']?t help|does ?n[o']?t help|not helpful|no help|didn't answer|did not answer|useless|hat (mir )?nicht geholfen|hilft (mir )?nicht|nicht hilfreich|bringt (mir )?nichts|keine hilfe|nicht beantwortet)\b/;
const PERSON = /\b(agent|human|a person|real person|operator|representative|somebody|someone|staff|support team|mitarbeiter(in)?|mensch(en)?|berater(in)?|kundenberater(in)?|kundendienst|kundenservice|jemand(em|en)?|sachbearbeiter(in)?)\b/;
const TALK = /\b(talk|speak|chat|connect|transfer|sprechen|reden|verbinden|weiterleiten)\b/;
const WANT = /\b(want|need|get|give me|möchte|moechte|will|brauche|hätte gern|haette gern)\b/;

/** What one customer message means. `action` is a button value the channel received, if any. */
export function understand(text: string | undefined, action?: string): Intent {
  if (action) {
    if (action === Actions.helpful) return { kind: 'yes' };
    if (action === Actions.notHelpful) return { kind: 'no' };
    if (action === Actions.human) return { kind: 'human' };
    if (action === Actions.noneOfThese) return { kind: 'none_of_these' };
    if (action === Actions.rephrase) return { kind: 'rephrase' };
    if (action.startsWith('article:')) return { kind: 'show_article', articleId: action.slice('article:'.length) };
  }
  const raw = (text ?? '').trim();
  const t = normalise(raw);
  if (!t) return { kind: 'empty' };
  const words = t.split(' ').length;
  if (NOT_HELPFUL.test(t) && words <= 12) return { kind: 'not_helpful' };
  if (PERSON.test(t) && (words <= 4 || (TALK.test(t) && words <= 14) || (WANT.test(t) && words <= 8))) return { kind: 'human' };
  if (whole(t, YES)) return { kind: 'yes' };
  if (whole(t, NO)) return { kind: 'no' };
  if (THANKS.test(t) || whole(t, THANKS)) return { kind: 'thanks' };
  if (whole(t, GOODBYE)) return { kind: 'goodbye' };
  if (whole(t, GREETING)) return { kind: 'greeting' };
  return { kind: 'question', text: raw };
}

const STOP_WORDS: Record<string, Set<string>> = {
  de: new Set(
    'der die das und ist ich nicht ein eine einen mein meine meinen wie was wo wann warum kann können ich mich mir sie ihr wir es zu mit auf für von den dem des im ist sind wird werden habe hat haben noch schon auch kein keine bitte danke hallo geht gibt kommt mehr oder aber wenn weil dass nach bei über'.split(' '),
  ),
  en: new Set(
    'the a an and is i not my me how what where when why can could you your we it to with on for of in are was will be have has do does did no any please thanks hello there this that more or but if because after at about get'.split(' '),
  ),
};

/**
 * The language of a message among `supported`, by counting stop words (umlauts and ß count for German);
 * undefined when the evidence is too thin to say (a two-word message of product names).
 */
export function detectLocale(text: string, supported: Locale[]): Locale | undefined {
  const words = normalise(text).split(' ').filter(Boolean);
  const scores = new Map<Locale, number>();
  for (const locale of supported) {
    const stops = STOP_WORDS[locale.slice(0, 2)];
    if (!stops) continue;
    let score = words.filter((w) => stops.has(w)).length;
    if (locale.startsWith('de')) score += (text.match(/[äöüß]/gi) ?? []).length > 0 ? 1 : 0;
    scores.set(locale, score);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || ranked[0][1] === 0) return undefined;
  if (ranked.length > 1 && ranked[0][1] === ranked[1][1]) return undefined;
  return ranked[0][0];
}
