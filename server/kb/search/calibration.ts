// Calibration that adapts to each knowledge base by itself: at index time, some articles are left out
// entirely (their questions play the customer asking something the KB does not cover) and some
// alternative questions of the others are held back (the customer asking something it does cover).
// The thresholds are then chosen where answering pays off on this KB, whatever its size or language.
import type { Article } from '../types.js';
import type { Analyzer } from './analysis.js';
import { Ranker, trainModel, type ModelSettings } from './model.js';

export interface Calibration {
  /** confidence at or above which the top hit is a confident answer */
  answerAt: number;
  /** confidence at or above which hits are worth suggesting */
  suggestAt: number;
}

/** What a confident answer is worth against the damage of a confidently wrong one, and how often customers ask off-topic. */
export const CALIBRATION_COSTS = {
  /** a wrong confident answer costs this many right ones */
  wrongAnswerCost: 2,
  /** assumed share of questions the KB does not cover */
  outOfScopeShare: 0.3,
  /** a suggestion list without the right article costs this much against one with it */
  uselessSuggestionCost: 0.5,
};

/** Used when the KB is too small to cross-validate (fewer than 4 articles with questions). */
export const FALLBACK_CALIBRATION: Calibration = { answerAt: 0.5, suggestAt: 0.2 };

export interface Observation {
  confidence: number;
  /** the top hit is the expected article (false for every out-of-scope question) */
  correct: boolean;
  /** the expected article is among the first three */
  inTop3: boolean;
  outOfScope: boolean;
}

const FOLDS = 3;
/** caps the cross-validation work on large KBs: the signal is per question, so a sample suffices */
const MAX_CALIBRATION_ARTICLES = 150;

/** Cross-validates on the KB's own alternative questions and returns the observed confidences. */
export function crossValidate(analyzer: Analyzer, articles: Article[], settings: ModelSettings, confidence: (ranker: Ranker, query: string) => { top: number[]; confidence: number }): Observation[] {
  const usable = articles.filter((a) => a.questions.length >= 2);
  if (usable.length < 4) return [];
  const sample = usable.length > MAX_CALIBRATION_ARTICLES ? spread(usable, MAX_CALIBRATION_ARTICLES) : usable;
  const observations: Observation[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const unknown = sample.filter((_, i) => i % FOLDS === fold);
    const known = sample.filter((_, i) => i % FOLDS !== fold);
    const heldOut: Array<{ text: string; label: number }> = [];
    const trainingArticles = known.map((a, label) => {
      // hold back every third question (offset by fold), keep at least one to learn from
      const keep: string[] = [];
      a.questions.forEach((q, i) => ((i + fold) % 3 === 0 && keep.length + (a.questions.length - i) > 1 ? heldOut.push({ text: q, label }) : keep.push(q)));
      return { ...a, questions: keep };
    });
    const ranker = new Ranker(analyzer, trainModel(analyzer, trainingArticles, settings), settings);
    for (const q of heldOut) {
      const { top, confidence: c } = confidence(ranker, q.text);
      observations.push({ confidence: c, correct: top[0] === q.label, inTop3: top.slice(0, 3).includes(q.label), outOfScope: false });
    }
    for (const a of unknown) {
      for (const text of [a.title, ...a.questions]) {
        const { confidence: c } = confidence(ranker, text);
        observations.push({ confidence: c, correct: false, inTop3: false, outOfScope: true });
      }
    }
  }
  return observations;
}

/** Chooses the thresholds that maximise the expected value of answering and suggesting on these observations. */
export function chooseThresholds(observations: Observation[], costs = CALIBRATION_COSTS): Calibration {
  const inScope = observations.filter((o) => !o.outOfScope);
  const outOfScope = observations.filter((o) => o.outOfScope);
  if (inScope.length === 0 || outOfScope.length === 0) return FALLBACK_CALIBRATION;
  const candidates = [...new Set(observations.map((o) => o.confidence))].sort((a, b) => a - b);
  const share = (list: Observation[], t: number, pick: (o: Observation) => boolean) => list.filter((o) => o.confidence >= t && pick(o)).length / list.length;
  const p = costs.outOfScopeShare;
  let answerAt = 1;
  let best = 0;
  for (const t of candidates) {
    const value =
      (1 - p) * (share(inScope, t, (o) => o.correct) - costs.wrongAnswerCost * share(inScope, t, (o) => !o.correct)) -
      p * costs.wrongAnswerCost * share(outOfScope, t, () => true);
    if (value > best) {
      best = value;
      answerAt = t;
    }
  }
  let suggestAt = answerAt;
  let bestSuggest = 0;
  for (const t of candidates) {
    if (t > answerAt) break;
    const below = (o: Observation) => o.confidence < answerAt;
    const value =
      (1 - p) * (share(inScope, t, (o) => below(o) && o.inTop3) - costs.uselessSuggestionCost * share(inScope, t, (o) => below(o) && !o.inTop3)) -
      p * costs.uselessSuggestionCost * share(outOfScope, t, below);
    if (value > bestSuggest) {
      bestSuggest = value;
      suggestAt = t;
    }
  }
  return { answerAt, suggestAt };
}

function spread<T>(items: T[], count: number): T[] {
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]);
}
