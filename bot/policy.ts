// The decision: answer with one article, answer with the best article and one or two alternatives
// under it ("or did you mean…"), suggest a few, or admit there is no match. One function, shared by
// the bot and `npm run kb:eval`, so what editors measure is what customers get.
// Thresholds come from the engine's calibration for this KB (measured on its own alternative
// questions and titles at index time); the defaults below only serve a result without one.
import type { KbHit, KbSearchResult } from './ports.js';

export type Decision =
  | { kind: 'answer'; article: KbHit }
  /** likely right, not certain: lead with the article, offer the runners-up (SMS and voice may make it a numbered choice) */
  | { kind: 'answer_with_alternatives'; article: KbHit; alternatives: KbHit[] }
  | { kind: 'suggest'; articles: KbHit[] }
  | { kind: 'no_match' };

export interface PolicyOptions {
  /** confidence at or above which the top hit is answered outright (used when the result has no calibration) */
  answerAt?: number;
  /** confidence at or above which the top hit leads, with alternatives (used when the result has no calibration) */
  alternativesAt?: number;
  /** confidence of the top hit at or above which suggestions are worth offering (used when the result has no calibration) */
  suggestAt?: number;
  /** at most this many articles in a suggestion */
  maxSuggestions?: number;
  /** use answerAt / suggestAt even when the engine calibrated its own (an operator's explicit choice) */
  overrideCalibration?: boolean;
}

/**
 * Defaults for a result without calibration: the medians of the thresholds the engine calibrated for
 * itself on the four bench KBs of `npm run bench:quality` (answer 0.27-0.49, suggest 0.09-0.22).
 */
export const DEFAULT_ANSWER_AT = 0.32;
export const DEFAULT_SUGGEST_AT = 0.16;
export const DEFAULT_ALTERNATIVES_AT = 0.24;
/** at most this many alternatives under a leading article */
export const MAX_ALTERNATIVES = 2;
export const DEFAULT_MAX_SUGGESTIONS = 3;
/** a runner-up is suggested only if at least this share as likely as the first hit */
const RUNNER_UP_SHARE = 0.1;

export function decide(result: KbSearchResult, options: PolicyOptions = {}): Decision {
  const calibration = options.overrideCalibration ? undefined : result.calibration;
  const answerAt = calibration?.answerAt ?? options.answerAt ?? DEFAULT_ANSWER_AT;
  // a calibration without an alternatives threshold (an older engine's) has no such band
  const alternativesAt = Math.min(answerAt, calibration ? (calibration.alternativesAt ?? answerAt) : (options.alternativesAt ?? DEFAULT_ALTERNATIVES_AT));
  const suggestAt = Math.min(alternativesAt, calibration?.suggestAt ?? options.suggestAt ?? DEFAULT_SUGGEST_AT);
  const maxSuggestions = Math.max(1, options.maxSuggestions ?? DEFAULT_MAX_SUGGESTIONS);
  const hits = [...result.hits].sort((a, b) => b.score - a.score);
  const [top] = hits;
  if (!top) return { kind: 'no_match' };
  if (top.confidence >= answerAt) return { kind: 'answer', article: top };
  if (top.confidence < suggestAt) return { kind: 'no_match' };
  // the calibration measured whether the right article is among the first three, so offer those,
  // leaving out runners-up far less likely than the first
  const plausible = hits.slice(0, maxSuggestions).filter((h) => h.confidence >= top.confidence * RUNNER_UP_SHARE);
  if (top.confidence >= alternativesAt && plausible.length > 1) {
    return { kind: 'answer_with_alternatives', article: top, alternatives: plausible.slice(1, 1 + MAX_ALTERNATIVES) };
  }
  return { kind: 'suggest', articles: plausible };
}
