// Text made for the ear: no markdown, no URLs, and numbers, prices, dates, times and abbreviations written
// the way a speech synthesizer reads them right ("4,90 €" -> "4 Euro 90", "z. B." -> "zum Beispiel"),
// cut to about 40 words at a sentence end, so a caller hears one short answer.
import type { Locale } from '../ports.js';
import { language } from './handoff-words.js';

export const MAX_SPOKEN_WORDS = 40;

const MONTHS = {
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const ABBREVIATIONS: Record<'de' | 'en', Array<[RegExp, string]>> = {
  de: [
    [/\bz\.\s?B\./g, 'zum Beispiel'],
    [/\bd\.\s?h\./g, 'das heißt'],
    [/\bu\.\s?a\./g, 'unter anderem'],
    [/\bbzw\./g, 'beziehungsweise'],
    [/\bca\./g, 'circa'],
    [/\binkl\./g, 'inklusive'],
    [/\bzzgl\./g, 'zuzüglich'],
    [/\bggf\./g, 'gegebenenfalls'],
    [/\busw\./g, 'und so weiter'],
    [/\bNr\./g, 'Nummer'],
    [/\bMo\.?-Fr\./g, 'Montag bis Freitag'],
    [/\bmax\./g, 'maximal'],
    [/\bmind\./g, 'mindestens'],
  ],
  en: [
    [/\be\.\s?g\./gi, 'for example'],
    [/\bi\.\s?e\./gi, 'that is'],
    [/\betc\./g, 'and so on'],
    [/\bapprox\./g, 'approximately'],
    [/\bincl\./g, 'including'],
    [/\bno\.(?=\s*\d)/gi, 'number'],
    [/\bMon?-Fri\b/g, 'Monday to Friday'],
    [/\bmax\./g, 'maximum'],
    [/\bmin\./g, 'minimum'],
  ],
};

function stripMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    // a link is dropped, the sentence's own punctuation after it is kept
    .replace(/(https?:\/\/|\bwww\.)\S+?(?=[.,;:!?]?(\s|$))/g, '')
    .replace(/[*_`#>]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function money(text: string, lang: 'de' | 'en'): string {
  const euro = lang === 'de' ? 'Euro' : 'euros';
  // "4,90 €", "4.90 €", "€4.90", "EUR 4,90"
  const amount = (whole: string, cents: string | undefined) => (cents && cents !== '00' ? `${whole} ${euro} ${Number(cents)}` : `${whole} ${euro}`);
  return text
    .replace(/(\d+)(?:[.,](\d{2}))?\s?(?:€|EUR\b)/g, (_, w, c) => amount(w, c))
    .replace(/(?:€|EUR)\s?(\d+)(?:[.,](\d{2}))?/g, (_, w, c) => amount(w, c));
}

function dates(text: string, lang: 'de' | 'en'): string {
  const months = MONTHS[lang];
  const say = (y: string | undefined, m: string, d: string) => {
    const month = months[Number(m) - 1];
    if (!month) return undefined;
    const day = Number(d);
    return lang === 'de' ? `${day}. ${month}${y ? ` ${y}` : ''}` : `${month} ${day}${y ? `, ${y}` : ''}`;
  };
  return text
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (all, y, m, d) => say(y, m, d) ?? all)
    .replace(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})?(?=\s|$|[,;:!?])/g, (all, d, m, y) => say(y, m, d) ?? all);
}

function times(text: string, lang: 'de' | 'en'): string {
  return text.replace(/\b(\d{1,2}):(\d{2})(\s?Uhr)?\b/g, (_, h, m) => {
    const hour = Number(h);
    const minutes = Number(m);
    if (lang === 'de') return minutes ? `${hour} Uhr ${minutes}` : `${hour} Uhr`;
    return minutes ? `${hour} ${String(minutes).padStart(2, '0')}` : `${hour} o'clock`;
  });
}

/** The text as a caller should hear it, in about 40 words. */
export function speakable(text: string, locale: Locale, maxWords = MAX_SPOKEN_WORDS): string {
  const lang = language(locale);
  let spoken = stripMarkdown(text);
  for (const [pattern, replacement] of ABBREVIATIONS[lang]) spoken = spoken.replace(pattern, replacement);
  spoken = money(spoken, lang);
  spoken = dates(spoken, lang);
  spoken = times(spoken, lang);
  spoken = spoken
    .replace(/(\d)\s?%/g, lang === 'de' ? '$1 Prozent' : '$1 percent')
    .replace(/(\d)\s?[-–]\s?(\d)/g, lang === 'de' ? '$1 bis $2' : '$1 to $2')
    .replace(/[„“”"«»]/g, '')
    .replace(/\s+([.,;:!?])/g, '$1')
    .replace(/([?!])\./g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return limitWords(spoken, maxWords);
}

/** Whole sentences up to `maxWords`; a first sentence that is longer is cut at a word. */
export function limitWords(text: string, maxWords: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length <= maxWords) return text;
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [text];
  let kept = '';
  for (const sentence of sentences) {
    const next = (kept + sentence).trim();
    if (next.split(/\s+/).length > maxWords) break;
    kept = next + ' ';
  }
  if (kept.trim()) return kept.trim();
  return words.slice(0, maxWords).join(' ').replace(/[,;:]$/, '') + '.';
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
