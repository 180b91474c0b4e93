// The highlighted excerpt shown under a search hit: the passage of the article that shares the most
// words with the query, HTML-escaped, with <mark> around those words. Matching ignores case and
// umlauts and works on word prefixes, so "Pakete" marks "Paket" and "uberweisung" marks "Überweisung";
// longer words also match with one typo, as in the search itself ("Rechnnug" marks "Rechnung").
import { escapeHtml } from './html.js';
import { MIN_TYPO_LENGTH, withinOneEdit } from './search/spelling.js';

const STOP_WORDS = new Set([
  // de
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'ist', 'sind',
  'ich', 'mein', 'meine', 'meinen', 'meinem', 'meiner', 'wo', 'wie', 'was', 'wann', 'mit', 'von', 'zu', 'zum', 'zur',
  'auf', 'fur', 'bei', 'nicht', 'noch', 'kann', 'habe', 'hat', 'es', 'sie', 'wir', 'mir', 'mich', 'im', 'in', 'an', 'am',
  // en
  'the', 'a', 'an', 'and', 'or', 'is', 'are', 'my', 'where', 'how', 'what', 'when', 'with', 'of', 'to', 'for', 'on',
  'at', 'do', 'does', 'can', 'i', 'me', 'it', 'you', 'your', 'not', 'be', 'has', 'have', 'in', 'is', 'this', 'that',
]);

/** Lower case, umlauts and accents folded, ß as ss: the form words are compared in. */
export function foldWord(word: string): string {
  return word.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '');
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Folded query words worth highlighting (no stop words, no single letters). */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const match of query.matchAll(WORD)) {
    const folded = foldWord(match[0]);
    if (folded.length >= 2 && !STOP_WORDS.has(folded)) terms.add(folded);
  }
  return [...terms];
}

/** Whether a (folded) word of the text matches a (folded) query term. */
function matches(word: string, terms: string[]): boolean {
  return terms.some((term) => {
    if (word === term) return true;
    const shorter = Math.min(word.length, term.length);
    // prefixes only for words long enough that a shared start means a shared meaning
    if (shorter >= 4 && (word.startsWith(term) || term.startsWith(word))) return true;
    return shorter >= MIN_TYPO_LENGTH && withinOneEdit(word, term);
  });
}

/**
 * Whether a folded word matches one of the query's terms, each distinct word decided once per matcher (one
 * per request); undefined when the query has no term worth matching.
 */
export function queryMatcher(query: string): ((folded: string) => boolean) | undefined {
  const terms = queryTerms(query);
  if (terms.length === 0) return undefined;
  const seen = new Map<string, boolean>();
  return (folded) => {
    let result = seen.get(folded);
    if (result === undefined) seen.set(folded, (result = matches(folded, terms)));
    return result;
  };
}

function distinctFolded(texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(WORD)) words.add(foldWord(m[0]));
  return [...words];
}

/** Whether any of the texts contains a word of the query (same matching as the highlighting). */
export function mentionsQuery(query: string, texts: string[]): boolean {
  const matcher = queryMatcher(query);
  return matcher !== undefined && distinctFolded(texts).some(matcher);
}

// The relevance filter asked "does the article mention a query word?" by folding every word of the whole
// article on every request (a quarter of a search's CPU): its distinct folded words are kept per article.
const distinctWords = new WeakMap<object, string[]>();

/** The distinct folded words of `owner`'s texts (an article's, until the next KB reload), made on first use. */
export function distinctFoldedWords(owner: object, sources: () => string[]): string[] {
  let words = distinctWords.get(owner);
  if (!words) {
    words = distinctFolded(sources());
    distinctWords.set(owner, words);
  }
  return words;
}

export interface SnippetOptions {
  /** about how many characters of text to show */
  length?: number;
}

/** A source text with its words found and folded once (per article, not per request: see preparedSources). */
export interface PreparedText {
  text: string;
  words: Array<{ index: number; end: number; folded: string }>;
}

export function prepareText(source: string): PreparedText {
  const text = source.replace(/\s+/g, ' ').trim();
  const words = [...text.matchAll(WORD)].map((m) => ({ index: m.index!, end: m.index! + m[0].length, folded: foldWord(m[0]) }));
  return { text, words };
}

// Scanning and folding an article's words was most of a search request's time (each request re-folded whole
// articles); an article object lives until the next KB reload, and its prepared texts with it.
const prepared = new WeakMap<object, PreparedText[]>();

/** The prepared texts of `owner` (an article), made on first use from `sources()`. */
export function preparedSources(owner: object, sources: () => string[]): PreparedText[] {
  let texts = prepared.get(owner);
  if (!texts) {
    texts = sources().map(prepareText);
    prepared.set(owner, texts);
  }
  return texts;
}

/**
 * The best passage of `sources` (tried in order: e.g. summary, then body text) for the query, escaped,
 * with matched words marked. Without any match it is the start of the first non-empty source.
 */
export function highlightSnippet(query: string, sources: Array<string | PreparedText>, options: SnippetOptions = {}): string {
  const length = options.length ?? 180;
  const texts = sources.map((s) => (typeof s === 'string' ? prepareText(s) : s)).filter((s) => s.text !== '');
  if (texts.length === 0) return '';
  // a text repeats its words: decide each distinct word once per request
  const hit = queryMatcher(query) ?? (() => false);

  let best = { source: texts[0], start: 0, count: 0 };
  for (const source of texts) {
    const words = source.words;
    for (let i = 0; i < words.length; i++) {
      if (!hit(words[i].folded)) continue;
      let count = 0;
      for (let j = i; j < words.length && words[j].index < words[i].index + length; j++) if (hit(words[j].folded)) count++;
      if (count > best.count) best = { source, start: words[i].index, count };
    }
  }

  const { text, words } = best.source;
  // start a little before the first match, at a word boundary
  let start = best.count > 0 ? Math.max(0, best.start - 40) : 0;
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < best.start ? space + 1 : best.start;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + length / 2) end = space;
  }

  let html = '';
  let last = start;
  for (const word of words) {
    if (word.end <= start) continue;
    if (word.index >= end) break;
    // a word cut by the excerpt's edge is matched as what is shown of it
    const from = Math.max(word.index, start);
    const to = Math.min(word.end, end);
    const folded = from === word.index && to === word.end ? word.folded : foldWord(text.slice(from, to));
    if (!hit(folded)) continue;
    html += `${escapeHtml(text.slice(last, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    last = to;
  }
  html += escapeHtml(text.slice(last, end));
  return `${start > 0 ? '… ' : ''}${html}${end < text.length ? ' …' : ''}`;
}
