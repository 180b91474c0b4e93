// Text analysis: the one way documents and queries are turned into terms, so both always match alike.
// Words keep their stop words (questions live in "how", "my", "wie", "mein"); German gets umlaut
// folding and compound splitting against the knowledge base's own vocabulary.
import lunr from 'lunr';
import stemmerSupport from 'lunr-languages/lunr.stemmer.support.js';
import lunrDe from 'lunr-languages/lunr.de.js';
import type { SynonymGroups } from '../types.js';
import { createSpellingCorrector } from './spelling.js';

type Stem = (word: string) => string;

let germanLoaded = false;
function germanStemmer(): Stem {
  if (!germanLoaded) {
    // lunr-languages attach themselves to the shared lunr object; doing it twice would re-register
    if (!(lunr as unknown as { stemmerSupport?: unknown }).stemmerSupport) stemmerSupport(lunr);
    if (!(lunr as unknown as { de?: unknown }).de) lunrDe(lunr);
    germanLoaded = true;
  }
  const stemmer = (lunr as unknown as { de: { stemmer: (t: lunr.Token) => lunr.Token } }).de.stemmer;
  return (word) => stemmer(new lunr.Token(word, {})).toString();
}

const englishStemmer: Stem = (word) =>
  (lunr.stemmer as unknown as (t: lunr.Token) => lunr.Token)(new lunr.Token(word, {})).toString();

interface LanguageProfile {
  stem: Stem;
  /** maps a lowercased word to its folded spelling (e.g. ä -> ae) */
  fold: (word: string) => string;
  splitCompounds: boolean;
}

const GERMAN_FOLDS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss' };

function languageProfile(locale: string): LanguageProfile {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  if (language === 'de') {
    return { stem: germanStemmer(), fold: (w) => w.replace(/[äöüßẞ]/g, (c) => GERMAN_FOLDS[c]), splitCompounds: true };
  }
  if (language === 'en') return { stem: englishStemmer, fold: (w) => w, splitCompounds: false };
  // unknown language: no stemmer is better than a wrong one
  return { stem: (w) => w, fold: (w) => w, splitCompounds: false };
}

const APOSTROPHES = /(\p{L})['’ʼ`´](?=\p{L})/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** Unicode-normalised, lowercased words with apostrophes joined ("don't" -> "dont") and punctuation as spaces. */
export function surfaceWords(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHES, '$1')
    .split(NOT_WORD)
    .filter((w) => w.length > 0);
}

export interface AnalyzedText {
  /** folded words as written (for character n-grams) */
  words: string[];
  /** stemmed terms: the words, compound parts, synonyms mapped to their group's first entry */
  terms: string[];
}

export interface Analyzer {
  locale: string;
  analyze(text: string): AnalyzedText;
  /** folded spelling of one word (no stemming) */
  fold(word: string): string;
  stem(word: string): string;
}

const MIN_PART = 3;
const MIN_COMPOUND = 7;

/**
 * Builds the analyzer for one locale. `vocabulary` is the KB's own text: German compounds are split
 * only into parts that occur there as words, so "versandkosten" finds "versand" and "kosten", and a
 * longer word the KB does not use is read as the KB word one typo away ("retrun" -> "return").
 */
export function createAnalyzer(locale: string, options: { synonyms?: SynonymGroups; vocabulary?: string[] } = {}): Analyzer {
  const profile = languageProfile(locale);
  const stemCache = new Map<string, string>();
  const stem = (word: string): string => {
    let s = stemCache.get(word);
    if (s === undefined) {
      s = profile.stem(word);
      stemCache.set(word, s);
    }
    return s;
  };

  const knownStems = new Set<string>();
  // each folded word of the KB and how often it occurs (a list of every occurrence held 70 MB on 10,000 articles)
  const vocabularyWords = new Map<string, number>();
  for (const text of [...(options.vocabulary ?? []), ...(options.synonyms ?? []).flat()]) {
    for (const w of surfaceWords(text)) {
      const folded = profile.fold(w);
      vocabularyWords.set(folded, (vocabularyWords.get(folded) ?? 0) + 1);
      if (profile.splitCompounds && folded.length >= MIN_PART + 1 && !/\d/.test(folded)) knownStems.add(stem(folded));
    }
  }
  // typo tolerance needs the KB's words; a word read as another is read so everywhere (its terms and its
  // character n-grams). Measured with one typo in every Banking77 test question: top-1 71.5 % -> 78.1 %.
  const spelling = options.vocabulary ? createSpellingCorrector(vocabularyWords) : undefined;

  const splitCache = new Map<string, string[]>();
  // Splits a folded word into known parts (longest head first); [] when it is not a compound of known words.
  const split = (word: string, depth = 0): string[] => {
    if (depth > 3 || word.length < MIN_PART * 2) return [];
    const key = depth === 0 ? word : '';
    if (key && splitCache.has(key)) return splitCache.get(key)!;
    let result: string[] = [];
    for (let i = word.length - MIN_PART; i >= MIN_PART && result.length === 0; i--) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      const headStem = knownHead(head);
      if (!headStem) continue;
      if (tail.length >= MIN_PART + 1 && knownStems.has(stem(tail))) result = [headStem, stem(tail)];
      else {
        const rest = split(tail, depth + 1);
        if (rest.length > 0) result = [headStem, ...rest];
      }
    }
    if (key) splitCache.set(key, result);
    return result;
  };
  // a compound's head may carry a linking element: Versand-s-kosten, Kunde-n-konto
  const knownHead = (head: string): string | undefined => {
    if (head.length < MIN_PART) return undefined;
    for (const link of ['', 's', 'es', 'n', 'en', 'e']) {
      if (link && !head.endsWith(link)) continue;
      const bare = head.slice(0, head.length - link.length);
      if (bare.length < MIN_PART + (link ? 0 : 1)) continue;
      const s = stem(bare);
      if (knownStems.has(s)) return s;
    }
    return undefined;
  };

  // Synonyms: every entry of a group becomes the group's first entry, matched on stemmed terms.
  const synonymRules: Array<{ from: string[]; to: string[] }> = [];
  const baseTerms = (text: string) => surfaceWords(text).map((w) => stem(profile.fold(w)));
  for (const group of options.synonyms ?? []) {
    const entries = group.map(baseTerms).filter((t) => t.length > 0);
    if (entries.length < 2) continue;
    const to = entries[0];
    for (const from of entries.slice(1)) {
      if (from.join(' ') !== to.join(' ')) synonymRules.push({ from, to });
    }
  }
  synonymRules.sort((a, b) => b.from.length - a.from.length);
  const synonymsByFirst = new Map<string, Array<{ from: string[]; to: string[] }>>();
  for (const rule of synonymRules) {
    const list = synonymsByFirst.get(rule.from[0]) ?? [];
    list.push(rule);
    synonymsByFirst.set(rule.from[0], list);
  }
  const applySynonyms = (terms: string[]): string[] => {
    if (synonymsByFirst.size === 0) return terms;
    const out: string[] = [];
    for (let i = 0; i < terms.length; ) {
      const rule = synonymsByFirst.get(terms[i])?.find((r) => r.from.every((t, j) => terms[i + j] === t));
      if (rule) {
        out.push(...rule.to);
        i += rule.from.length;
      } else out.push(terms[i++]);
    }
    return out;
  };

  return {
    locale,
    fold: profile.fold,
    stem,
    analyze(text) {
      const words = surfaceWords(text).map(profile.fold);
      const terms: string[] = [];
      words.forEach((w, i) => {
        const parts = profile.splitCompounds && w.length >= MIN_COMPOUND && !/\d/.test(w) ? split(w) : [];
        const corrected = parts.length === 0 ? spelling?.correct(w) : undefined;
        if (corrected) words[i] = corrected;
        terms.push(stem(corrected ?? w));
        for (const p of parts) if (p !== terms[terms.length - 1]) terms.push(p);
      });
      return { words, terms: applySynonyms(terms) };
    },
  };
}
