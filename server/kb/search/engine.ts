// The search engine's contract: build an index for one locale's articles, then answer queries.
// A classifier trained on each article's title and alternative questions ranks the articles, lunr
// over the whole article adds lexical evidence, and thresholds calibrated on the KB itself say
// how confident a hit must be to answer.
import type { Article, SynonymGroups } from '../types.js';
import { chooseThresholds, crossValidate, type Calibration } from './calibration.js';
import { analyzerFor, DEFAULT_SETTINGS, Ranker, trainModel, type ModelSettings } from './model.js';

export type { Calibration };

export interface EngineHit {
  id: string;
  /** higher is better; comparable within one query */
  score: number;
  /** calibrated probability-like confidence 0..1 that this article answers the query */
  confidence: number;
}

export interface LocaleIndex {
  locale: string;
  search(query: string, limit: number): EngineHit[];
  calibration: Calibration;
}

export interface BuildOptions {
  synonyms?: SynonymGroups;
  /** engine tuning; the defaults are what bench:quality measured best */
  settings?: Partial<ModelSettings>;
}

/** Confidence of a ranking: the combined probability of the first article. */
function confidenceOf(ranker: Ranker, query: string): { top: number[]; confidence: number } {
  const ranked = ranker.rank(query);
  return { top: ranked.slice(0, 3).map((r) => r.index), confidence: ranked[0]?.probability ?? 0 };
}

export async function buildLocaleIndex(locale: string, articles: Article[], options: BuildOptions = {}): Promise<LocaleIndex> {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const analyzer = analyzerFor(locale, articles, options.synonyms);
  if (articles.length === 0) return { locale, calibration: chooseThresholds([]), search: () => [] };
  const model = trainModel(analyzer, articles, settings);
  const ranker = new Ranker(analyzer, model, settings);
  const calibration = chooseThresholds(crossValidate(analyzer, articles, settings, confidenceOf));
  return {
    locale,
    calibration,
    search(query, limit) {
      return ranker
        .rank(query)
        .slice(0, limit)
        .map((r) => ({ id: model.ids[r.index], score: r.score, confidence: r.probability }));
    },
  };
}
