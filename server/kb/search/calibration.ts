// Calibration that adapts to each knowledge base by itself: at index time, some articles are left out
// entirely (their questions play the customer asking something the KB does not cover) and some
// alternative questions or titles of the others are held back (the customer asking something it does cover).
// The answer threshold is the lowest at which 85 % of confident answers are right on this KB (80 % when
// measured on the held-out alternative questions alone, the texts most like customers'), whatever
// its size or language, with a floor so that it never ends at "answer nothing"; leading with an article
// and alternatives has a lower bar; the suggest threshold is where offering three articles pays off.
import type { Article } from '../types.js';
import type { Analyzer } from './analysis.js';
import { Ranker, trainModel, type ModelSettings } from './model.js';
import { evenly } from './sampling.js';

export interface Calibration {
  /** confidence at or above which the top hit is a confident answer */
  answerAt: number;
  /** confidence at or above which the top hit is shown as the answer with one or two alternatives under it (web) */
  alternativesAt?: number;
  /** confidence at or above which hits are worth suggesting */
  suggestAt: number;
  /** what the calibration had to go on and which rule set the answer threshold (for logs and kb:eval) */
  basis?: CalibrationBasis;
}

export interface CalibrationBasis {
  /**
   * precision: the lowest threshold at which confident answers are right often enough on held-out questions;
   * floor: no threshold was precise enough, or the precise one answered too few, so the threshold answers
   * a fixed share of the held-out questions; fallback: nothing to measure on (too few articles), the prior
   */
  rule: 'precision' | 'floor' | 'fallback';
  /** held-out alternative questions and titles asked of models that had the rest of the article */
  heldOutQuestions: number;
  /**
   * what the precision rule measured right answers on: the held-out alternative questions alone when
   * there are at least MIN_PRECISION_QUESTIONS (titles are often near-copies of the questions, answered
   * right far more often than customers' words), otherwise questions and titles
   */
  precisionOn?: 'questions' | 'questions and titles';
  heldOutTitles: number;
  /** questions and titles of left-out articles (playing questions the KB does not cover) */
  outOfScope: number;
}

/** What the thresholds aim for; the same on every KB, whatever its size or language. */
export const CALIBRATION_TARGETS = {
  /**
   * Share of confident answers that must be right (held-out questions of the KB, plus the questions
   * of left-out articles as the off-topic share). A precision target measured more stable across
   * KBs than a cost trade-off, whose optimum is flat and jumps. 0.8 with titles counted gave
   * Banking77-OOS 13.6 % wrong answers.
   */
  answerPrecision: 0.85,
  /**
   * The same bar measured on held-out alternative questions alone (see CalibrationBasis.precisionOn),
   * which are answered right less often than titles: 0.85 there left Banking77-OOS at 50.8 % answered
   * and the sample KB at 73.2 %; 0.8 gives 51.5 and 75.6 % with Banking77-OOS wrong answers 10.8 %.
   */
  answerPrecisionOnQuestions: 0.8,
  /** assumed share of questions the KB does not cover */
  outOfScopeShare: 0.3,
  /** a suggestion list without the right article costs this much against one with it */
  uselessSuggestionCost: 0.5,
  /** the answer threshold never answers fewer than this share of the held-out questions */
  answerFloor: 0.5,
  /** share of "answer with alternatives" whose first article must be right */
  alternativesPrecision: 0.6,
  /** the alternatives threshold never leads with an article for fewer than this share of the held-out questions */
  alternativesFloor: 0.75,
};

/** Used when the KB is too small to cross-validate (fewer than 5 articles): bot/policy.ts's defaults. */
export const FALLBACK_CALIBRATION: Calibration = { answerAt: 0.32, alternativesAt: 0.24, suggestAt: 0.16, basis: { rule: 'fallback', heldOutQuestions: 0, heldOutTitles: 0, outOfScope: 0 } };

export interface Observation {
  confidence: number;
  /** the top hit is the expected article (false for every out-of-scope question) */
  correct: boolean;
  /** the expected article is among the first three */
  inTop3: boolean;
  outOfScope: boolean;
  /** what was asked: a held-out alternative question, a held-out title, or a text of a left-out article */
  kind?: 'question' | 'title' | 'unknown';
}

/** the precision rule measures on held-out alternative questions alone when there are at least this many */
export const MIN_PRECISION_QUESTIONS = 30;

/** five folds: every article is left out once, and each question is held back about once */
const FOLDS = 5;
/** caps the cross-validation work on large KBs: the signal is per question, so a sample suffices */
const MAX_CALIBRATION_ARTICLES = 150;
/** in-scope and out-of-scope questions asked per fold, each: a few hundred pin a threshold down */
const MAX_QUESTIONS_PER_FOLD = 250;

/**
 * Cross-validates on the KB's own text and returns the observed confidences. Every article takes part:
 * in each fold some of its alternative questions, or its title, are held back and asked of a model that
 * learnt the rest of the article (its body included), so a KB with few or no alternative questions still
 * has held-out questions to measure on.
 */
export function crossValidate(analyzer: Analyzer, articles: Article[], settings: ModelSettings, confidence: (ranker: Ranker, query: string) => { top: number[]; confidence: number }): Observation[] {
  if (articles.length < FOLDS) return [];
  const sample = articles.length > MAX_CALIBRATION_ARTICLES ? neighbourhoods(analyzer, articles, MAX_CALIBRATION_ARTICLES) : articles;
  const observations: Observation[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const unknown = sample.filter((_, i) => i % FOLDS === fold);
    const known = sample.filter((_, i) => i % FOLDS !== fold);
    const heldOut: Array<{ text: string; label: number; kind: 'question' | 'title' }> = [];
    const trainingArticles = known.map((a, label) => {
      // hold back every third question (offset by fold), keep at least one to learn from
      const keep: string[] = [];
      a.questions.forEach((q, i) => ((i + fold) % 3 === 0 && keep.length + (a.questions.length - i) > 1 ? heldOut.push({ text: q, label, kind: 'question' }) : keep.push(q)));
      // the title too, in some folds: the article is then known by its questions, summary and body only
      if ((label + fold) % 3 === 0 && a.title.trim()) {
        heldOut.push({ text: a.title, label, kind: 'title' });
        return { ...a, title: '', questions: keep };
      }
      return { ...a, questions: keep };
    });
    const ranker = new Ranker(analyzer, trainModel(analyzer, trainingArticles, settings), settings);
    for (const q of evenly(heldOut, MAX_QUESTIONS_PER_FOLD)) {
      const { top, confidence: c } = confidence(ranker, q.text);
      observations.push({ confidence: c, correct: top[0] === q.label, inTop3: top.slice(0, 3).includes(q.label), outOfScope: false, kind: q.kind });
    }
    for (const text of evenly(unknown.flatMap((a) => [a.title, ...a.questions]), MAX_QUESTIONS_PER_FOLD)) {
      const { confidence: c } = confidence(ranker, text);
      observations.push({ confidence: c, correct: false, inTop3: false, outOfScope: true, kind: 'unknown' });
    }
  }
  return observations;
}

/** Chooses the thresholds that maximise the expected value of answering and suggesting on these observations. */
export function chooseThresholds(observations: Observation[], targets = CALIBRATION_TARGETS): Calibration {
  const inScope = observations.filter((o) => !o.outOfScope);
  const outOfScope = observations.filter((o) => o.outOfScope);
  if (inScope.length === 0 || outOfScope.length === 0) return FALLBACK_CALIBRATION;
  // precision is measured on the held-out texts most like customers' questions: the alternative
  // questions when there are enough of them (a title is often the questions' own words, and answered
  // right so often that it lets through a threshold customers' questions are wrong at)
  const questions = inScope.filter((o) => o.kind !== 'title');
  const precisionOn: CalibrationBasis['precisionOn'] = questions.length >= MIN_PRECISION_QUESTIONS ? 'questions' : 'questions and titles';
  const basis = (rule: CalibrationBasis['rule']): CalibrationBasis => ({
    rule,
    precisionOn,
    heldOutQuestions: questions.length,
    heldOutTitles: inScope.filter((o) => o.kind === 'title').length,
    outOfScope: outOfScope.length,
  });
  const candidates = [...new Set(observations.map((o) => o.confidence))].sort((a, b) => a - b);
  const share = (list: Observation[], t: number, pick: (o: Observation) => boolean) => list.filter((o) => o.confidence >= t && pick(o)).length / list.length;
  const p = targets.outOfScopeShare;
  // the lowest threshold at which answers led by the top hit are still right often enough
  const lowestPrecise = (precision: number, measured: Observation[]): number | undefined => {
    for (const t of candidates) {
      const right = (1 - p) * share(measured, t, (o) => o.correct);
      const wrong = (1 - p) * share(measured, t, (o) => !o.correct) + p * share(outOfScope, t, () => true);
      if (right > 0 && right / (right + wrong) >= precision) return t;
    }
    return undefined;
  };
  // the floor: a threshold that answers at least this share of the held-out questions, so that a KB
  // whose held-out questions are too few or too hard never ends at "answer nothing"
  const floorAt = quantile(inScope.map((o) => o.confidence), 1 - targets.answerFloor);
  const precise = precisionOn === 'questions' ? lowestPrecise(targets.answerPrecisionOnQuestions, questions) : lowestPrecise(targets.answerPrecision, inScope);
  const rule: CalibrationBasis['rule'] = precise !== undefined && precise <= floorAt ? 'precision' : 'floor';
  const answerAt = rule === 'precision' ? precise! : floorAt;
  // leading with an article and offering alternatives is cheaper when wrong: a lower bar, with its own
  // floor (measured on questions and titles: on alternative questions alone it led with the right article
  // less often on Banking77-OOS K=3, 25.1 -> 19.8 %)
  const alternativesAt = Math.min(answerAt, lowestPrecise(targets.alternativesPrecision, inScope) ?? answerAt, quantile(inScope.map((o) => o.confidence), 1 - targets.alternativesFloor));
  let suggestAt = alternativesAt;
  let bestSuggest = 0;
  for (const t of candidates) {
    if (t > alternativesAt) break;
    const below = (o: Observation) => o.confidence < alternativesAt;
    const value =
      (1 - p) * (share(inScope, t, (o) => below(o) && o.inTop3) - targets.uselessSuggestionCost * share(inScope, t, (o) => below(o) && !o.inTop3)) -
      p * targets.uselessSuggestionCost * share(outOfScope, t, below);
    if (value > bestSuggest) {
      bestSuggest = value;
      suggestAt = t;
    }
  }
  return { answerAt, alternativesAt, suggestAt, basis: basis(rule) };
}

/** The value below which a share q of the values lie (nearest rank). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
}

/** One line for the start-up log and kb:eval: the thresholds, what they were measured on, and the rule. */
export function describeCalibration(c: Calibration): string {
  const b = c.basis;
  const on = !b
    ? 'no record of what they were measured on'
    : b.rule === 'fallback'
      ? 'too few articles to measure on, so the built-in prior'
      : `measured on ${b.heldOutQuestions} held-out alternative questions, ${b.heldOutTitles} held-out titles and ${b.outOfScope} texts of left-out articles; rule: ${b.rule === 'precision' ? `lowest threshold with ${(b.precisionOn === 'questions' ? CALIBRATION_TARGETS.answerPrecisionOnQuestions : CALIBRATION_TARGETS.answerPrecision) * 100} % right answers${b.precisionOn ? ` on held-out ${b.precisionOn}` : ''}` : `floor (no precise threshold answered ${CALIBRATION_TARGETS.answerFloor * 100} % of the held-out questions)`}`;
  return `answer at ${c.answerAt.toFixed(3)}, with alternatives at ${(c.alternativesAt ?? c.answerAt).toFixed(3)}, suggest at ${c.suggestAt.toFixed(3)} (${on})`;
}

/** articles per neighbourhood in the sample of a large KB */
const NEIGHBOURHOOD = 10;

/**
 * A sample of a large KB that keeps its hard cases: seed articles spread over the KB, each with the
 * articles most like it (shared words, rarer ones counting more). A spread-out sample would hold few
 * look-alikes, so its questions would look easier and the threshold would come out too high.
 */
function neighbourhoods(analyzer: Analyzer, articles: Article[], count: number): Article[] {
  const terms = articles.map((a) => new Set([a.title, ...a.questions].flatMap((t) => analyzer.analyze(t).terms)));
  const postings = new Map<string, number[]>();
  terms.forEach((set, i) => set.forEach((t) => postings.set(t, [...(postings.get(t) ?? []), i])));
  const taken = new Set<number>();
  const sample: Article[] = [];
  const seeds = Math.ceil(count / NEIGHBOURHOOD);
  for (let s = 0; s < seeds && sample.length < count; s++) {
    const seed = Math.floor((s * articles.length) / seeds);
    if (taken.has(seed)) continue;
    const similarity = new Map<number, number>();
    for (const t of terms[seed]) {
      const list = postings.get(t)!;
      const weight = Math.log(articles.length / list.length);
      for (const other of list) if (other !== seed && !taken.has(other)) similarity.set(other, (similarity.get(other) ?? 0) + weight);
    }
    const group = [seed, ...[...similarity].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, NEIGHBOURHOOD - 1).map(([i]) => i)];
    for (const i of group.slice(0, count - sample.length)) {
      taken.add(i);
      sample.push(articles[i]);
    }
  }
  return sample;
}
