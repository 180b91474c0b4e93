// When the bot hands over on its own, and what it offers instead. Kept small so it can be explained
// to an agent in two sentences:
//  1. An unanswered question counts towards an automatic hand-over only when it looks like a support
//     question (the KB found something related, or the customer describes their own problem);
//     small talk ("who won the football game") gets "say it in other words" and a person as a button.
//  2. "No, that did not help" offers the runners-up of the same search, a rephrase and a person first.
import type { KbHit, KbSearchResult } from './ports.js';
import { DEFAULT_SUGGEST_AT, type PolicyOptions } from './policy.js';

/** the customer speaks about their own situation or a problem: words like "my", "mein", "not", "error" */
const ABOUT_THEIR_PROBLEM =
  /\b(my|mine|i'm|i've|our|mein|meine|meinen|meinem|meiner|ich|mir|mich|unser|unsere|wir|not|no longer|cannot|can't|won't|doesn't|don't|didn't|nicht|kein|keine|error|fehler|problem|issue|broken|kaputt|failed|fehlgeschlagen|wrong|falsch|missing|fehlt|help|hilfe)\b/i;

/** the KB found related articles, just none good enough to offer: a question about our domain */
const RELATED_SHARE = 0.5;

function suggestAt(result: KbSearchResult, options: PolicyOptions = {}): number {
  const threshold = options.overrideCalibration ? undefined : result.calibration?.suggestAt;
  return threshold ?? options.suggestAt ?? DEFAULT_SUGGEST_AT;
}

/** Whether an unanswered question should count towards handing over automatically (rule 1). */
export function looksLikeSupportQuestion(text: string, result: KbSearchResult, options: PolicyOptions = {}): boolean {
  const top = result.hits[0];
  if (top && top.confidence >= suggestAt(result, options) * RELATED_SHARE) return true;
  return ABOUT_THEIR_PROBLEM.test(text.toLowerCase().replace(/[’`´]/g, "'"));
}

/** The runners-up of a search answered with `answeredId`, worth offering if the answer did not help (rule 2). */
export function nextSuggestions(result: KbSearchResult, answeredId: string, options: PolicyOptions = {}, max = 3): KbHit[] {
  const threshold = suggestAt(result, options);
  return result.hits.filter((h) => h.id !== answeredId && h.confidence >= threshold).slice(0, max);
}
