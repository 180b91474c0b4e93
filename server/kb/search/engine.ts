// The search engine's contract: build an index for one locale's articles, then answer queries.
// PLACEHOLDER implementation (word overlap) until the real engine lands; the contract stays.
import type { Article, SynonymGroups } from '../types.js';

export interface EngineHit {
  id: string;
  /** higher is better; comparable within one query */
  score: number;
  /** calibrated probability-like confidence 0..1 that this article answers the query */
  confidence: number;
}

export interface Calibration {
  /** confidence at or above which the top hit is a confident answer */
  answerAt: number;
  /** confidence at or above which hits are worth suggesting */
  suggestAt: number;
}

export interface LocaleIndex {
  locale: string;
  search(query: string, limit: number): EngineHit[];
  calibration: Calibration;
}

export interface BuildOptions {
  synonyms?: SynonymGroups;
}

function words(text: string): string[] {
  return text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);
}

export async function buildLocaleIndex(locale: string, articles: Article[], _options: BuildOptions = {}): Promise<LocaleIndex> {
  const docs = articles.map((a) => ({ id: a.id, terms: new Set(words([a.title, ...a.questions, a.tags.join(' '), a.text].join(' '))) }));
  return {
    locale,
    calibration: { answerAt: 0.5, suggestAt: 0.2 },
    search(query, limit) {
      const q = words(query);
      if (q.length === 0) return [];
      return docs
        .map((d) => ({ id: d.id, score: q.filter((w) => d.terms.has(w)).length / q.length }))
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map((h) => ({ ...h, confidence: h.score }));
    },
  };
}
