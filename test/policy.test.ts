import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_ANSWER_AT, DEFAULT_SUGGEST_AT } from '../bot/policy.js';
import type { KbHit, KbSearchResult } from '../bot/ports.js';

const hit = (id: string, confidence: number): KbHit => ({ id, locale: 'en', title: id, summary: '', url: `/help/articles/${id}`, score: confidence, confidence, snippet: '' });
const calibration = { answerAt: 0.4, suggestAt: 0.15 };

describe('decision policy', () => {
  it('answers when the first hit reaches the calibrated answer threshold', () => {
    const result: KbSearchResult = { hits: [hit('a', 0.45), hit('b', 0.2)], calibration };
    expect(decide(result)).toEqual({ kind: 'answer', article: result.hits[0] });
  });

  it('suggests up to three plausible articles between the suggest and answer thresholds', () => {
    const result: KbSearchResult = { hits: [hit('a', 0.3), hit('b', 0.2), hit('c', 0.1), hit('d', 0.05)], calibration };
    const d = decide(result);
    expect(d.kind).toBe('suggest');
    if (d.kind === 'suggest') expect(d.articles.map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });

  it('leaves out runners-up far less likely than the first', () => {
    const d = decide({ hits: [hit('a', 0.35), hit('b', 0.01)], calibration });
    expect(d.kind === 'suggest' && d.articles.map((a) => a.id)).toEqual(['a']);
  });

  it('has no match when nothing reaches the suggest threshold, or there are no hits', () => {
    expect(decide({ hits: [hit('a', 0.1), hit('b', 0.09)], calibration })).toEqual({ kind: 'no_match' });
    expect(decide({ hits: [], calibration })).toEqual({ kind: 'no_match' });
  });

  it('uses the documented defaults when the result has no calibration', () => {
    expect(decide({ hits: [hit('a', DEFAULT_ANSWER_AT)] }).kind).toBe('answer');
    expect(decide({ hits: [hit('a', DEFAULT_ANSWER_AT - 0.01)] }).kind).toBe('suggest');
    expect(decide({ hits: [hit('a', DEFAULT_SUGGEST_AT - 0.01)] }).kind).toBe('no_match');
  });

  it("prefers the engine's calibration over option defaults, unless told to override it", () => {
    const result: KbSearchResult = { hits: [hit('a', 0.45)], calibration };
    expect(decide(result, { answerAt: 0.9 }).kind).toBe('answer');
    expect(decide(result, { answerAt: 0.9, overrideCalibration: true }).kind).toBe('suggest');
    expect(decide({ hits: [hit('a', 0.45)] }, { answerAt: 0.9 }).kind).toBe('suggest');
  });

  it('leads with the first hit and offers one or two alternatives between the alternatives and answer thresholds', () => {
    const withAlternatives = { answerAt: 0.4, alternativesAt: 0.25, suggestAt: 0.15 };
    const result: KbSearchResult = { hits: [hit('a', 0.3), hit('b', 0.2), hit('c', 0.1), hit('d', 0.05)], calibration: withAlternatives };
    expect(decide(result)).toEqual({ kind: 'answer_with_alternatives', article: result.hits[0], alternatives: [result.hits[1], result.hits[2]] });
    // below the band: suggestions; a lone plausible hit is never presented as an answer
    expect(decide({ hits: [hit('a', 0.2), hit('b', 0.1)], calibration: withAlternatives }).kind).toBe('suggest');
    expect(decide({ hits: [hit('a', 0.3), hit('b', 0.01)], calibration: withAlternatives }).kind).toBe('suggest');
  });

  it('respects maxSuggestions', () => {
    const d = decide({ hits: [hit('a', 0.3), hit('b', 0.25), hit('c', 0.2)], calibration }, { maxSuggestions: 2 });
    expect(d.kind === 'suggest' && d.articles).toHaveLength(2);
  });
});
