// English query expansion from WordNet, computed at training time for the KB's own vocabulary: from
// each KB word, WordNet's relations lead outward to words customers may use instead (the other words
// of its first senses; the members and parts of what it names: "EU" -> "Spain", "Greece"), in their
// regular inflections. The result is a small map "outside word's term -> KB terms" stored in the
// trained model, so a query needs no WordNet: a query word the KB never uses is read as the KB words
// it maps to, added to its terms. Measured per relation in README ("Answer quality"): more specific
// words (hyponyms), more general ones, derived forms and similar adjectives added only noise, so
// they are off.
import type { Article } from '../types.js';
import { surfaceWords, type Analyzer } from './analysis.js';
import { formsOf, lemmasOf, WordNet, type PartOfSpeech, type Synset } from './wordnet.js';

/** outside term -> [KB term, weight] pairs, best first (plain data: it goes into the model cache) */
export type WordExpansions = Record<string, Array<[string, number]>>;

export interface ExpansionOptions {
  /** senses of a KB word that are followed (WordNet lists the most frequent first) */
  senses: number;
  /** an outside word mapping to more KB terms than this is not specific enough and is left out */
  maxTargets: number;
  /** expansions weaker than this are left out */
  minWeight: number;
  /** weight of each relation (0: not followed) */
  relations: Record<Relation, number>;
}

export type Relation = 'synonym' | 'hyponym' | 'hypernym' | 'meronym' | 'derivation' | 'similar';

export const DEFAULT_EXPANSION_OPTIONS: ExpansionOptions = {
  senses: 3,
  maxTargets: 2,
  minWeight: 0.3,
  relations: { synonym: 1, hyponym: 0, hypernym: 0, meronym: 0.6, derivation: 0, similar: 0 },
};
// measured on faq_en_telco top-1 / top-3 (without expansion 50.0 / 70.0): these options 51.3 / 71.7;
// with hyponyms 0.7, derivations 0.8 and similar adjectives 0.5 added 50.8 / 70.4; one sense 49.6 /
// 71.3; one target per word 50.0 / 70.4 (loses "spain" -> "europe", "eu")

/** WordNet pointer symbols by the relation they lead along (from the KB word to the outside word) */
const POINTERS: Record<string, Relation> = {
  '~': 'hyponym',
  '~i': 'hyponym',
  '@': 'hypernym',
  '@i': 'hypernym',
  '%m': 'meronym',
  '%p': 'meronym',
  '%s': 'meronym',
  '+': 'derivation',
  '&': 'similar',
};

/** outside words: three letters or more (two-letter words are mostly abbreviations with many readings) */
const WORD = /^[a-z]{3,}$/;
const KB_WORD = /^[a-z]{2,}$/;

export function expandsLocale(locale: string): boolean {
  return locale.toLowerCase().startsWith('en');
}

/**
 * The expansion map for a KB whose text has these words (as the analyzer folds them); undefined for a
 * locale other than English or when WordNet is not installed.
 */
export function buildWordExpansions(locale: string, words: Iterable<string>, stem: (word: string) => string, options: ExpansionOptions = DEFAULT_EXPANSION_OPTIONS): WordExpansions | undefined {
  if (!expandsLocale(locale)) return undefined;
  const wordnet = WordNet.open();
  if (!wordnet) return undefined;
  try {
    const vocabulary = new Set(words);
    const kbWords = [...vocabulary].filter((w) => KB_WORD.test(w));
    const kbTerms = new Set([...vocabulary].map(stem));
    // outside term -> KB term -> weight: the relation's weight over the KB word's sense rank and the outside word's
    const found = new Map<string, Map<string, number>>();
    const add = (outside: string, pos: PartOfSpeech, target: string, weight: number) => {
      if (weight < options.minWeight || !WORD.test(outside)) return;
      for (const form of formsOf(outside, pos)) {
        const key = stem(form);
        if (kbTerms.has(key) || key === target) continue;
        let targets = found.get(key);
        if (!targets) found.set(key, (targets = new Map()));
        targets.set(target, Math.max(targets.get(target) ?? 0, weight));
      }
    };
    const rank = (outside: string, synset: Synset) => {
      const i = wordnet.senses(outside, synset.pos).indexOf(synset.offset);
      return i < 0 ? Infinity : i + 1;
    };
    for (const word of kbWords) {
      const target = stem(word);
      // of the lemmas a word may be a form of, those the stemmer agrees with ("codes": "code", not "cod")
      const lemmas = lemmasOf(wordnet, word);
      const agreed = lemmas.filter((l) => l.lemma === word || stem(l.lemma) === target);
      for (const { lemma, pos } of agreed.length > 0 ? agreed : lemmas) {
        wordnet.senses(lemma, pos).slice(0, options.senses).forEach((offset, senseIndex) => {
          const synset = wordnet.synset(offset, pos);
          const senseWeight = 1 / (senseIndex + 1);
          const self = synset.words.indexOf(lemma) + 1;
          const reach = (related: Synset, relation: Relation, only = 0) => {
            const weight = options.relations[relation] * senseWeight;
            if (weight < options.minWeight) return;
            related.words.forEach((outside, i) => {
              if ((only && i + 1 !== only) || outside === lemma) return;
              add(outside, related.pos, target, weight / rank(outside, related));
            });
          };
          reach(synset, 'synonym');
          for (const p of synset.pointers) {
            const relation = POINTERS[p.symbol];
            if (!relation || options.relations[relation] === 0) continue;
            if (p.source !== 0 && p.source !== self) continue; // a word-to-word pointer from another word of the synset
            reach(wordnet.synset(p.offset, p.pos), relation, p.target);
          }
        });
      }
    }
    const expansions: WordExpansions = {};
    for (const [key, targets] of found) {
      if (targets.size > options.maxTargets) continue;
      expansions[key] = [...targets].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, w]) => [t, Math.round(w * 1000) / 1000]);
    }
    return expansions;
  } finally {
    wordnet.close();
  }
}

/**
 * The analyzer that reads a query word outside the KB's vocabulary as the KB terms WordNet maps it to
 * (added after the query's own terms; words the KB uses are never expanded).
 */
export function withWordExpansions(analyzer: Analyzer, expansions: WordExpansions | undefined): Analyzer {
  if (!expansions || Object.keys(expansions).length === 0) return analyzer;
  return {
    ...analyzer,
    analyze(text) {
      const analysed = analyzer.analyze(text);
      const extra: string[] = [];
      for (const word of surfaceWords(text)) {
        for (const [term] of expansions[analyzer.stem(analyzer.fold(word))] ?? []) extra.push(term);
      }
      return extra.length === 0 ? analysed : { words: analysed.words, terms: [...analysed.terms, ...extra] };
    },
  };
}

/** The expansion map for a locale's articles, over the words the analyzer reads in them. */
export function articleWordExpansions(locale: string, articles: Article[], analyzer: Analyzer, options?: ExpansionOptions): WordExpansions | undefined {
  if (!expandsLocale(locale)) return undefined;
  const words = articles.flatMap((a) => [a.title, ...a.questions, ...a.tags, a.summary, a.text]).flatMap((t) => surfaceWords(t).map(analyzer.fold));
  return buildWordExpansions(locale, words, analyzer.stem, options);
}
