import { describe, expect, it } from 'vitest';
import type { SparseVector } from '../server/kb/search/features.js';
import { analyzerFor, DEFAULT_SETTINGS, Ranker, trainModel } from '../server/kb/search/model.js';
import { passageIndex, PassageScorer } from '../server/kb/search/passages.js';
import { article, ENGLISH } from './search-fixtures.js';

const vector = (entries: Array<[number, number]>): SparseVector => ({ indices: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1]) });

describe('best-matching passage', () => {
  it("scores each asked-for article by its one example closest to the query", () => {
    // article 0 has examples on features 0 and 1; article 1 on feature 2 and on features 0+2
    const examples = [vector([[0, 1]]), vector([[2, 1]]), vector([[1, 1]]), vector([[0, 0.6], [2, 0.8]])];
    const scorer = new PassageScorer(passageIndex(examples, [0, 1, 0, 1], 2), 3);
    const [first, second] = scorer.bestMatches(vector([[0, 0.8], [1, 0.6]]), [0, 1]);
    expect(first).toBeCloseTo(0.8); // its first example, not the sum over both
    expect(second).toBeCloseTo(0.48);
    expect(scorer.bestMatches(vector([[2, 1]]), [1])).toEqual([1]);
    // the query's features do not linger into the next query
    expect(scorer.bestMatches(vector([[1, 1]]), [0, 1])).toEqual([1, 0]);
  });

  it('gives more confidence to the article one of whose answer sentences the question restates', () => {
    const kb = [
      ...ENGLISH,
      article('en', 'payment-methods', 'How can I pay?', ['Which payment methods do you accept?'], 'We accept credit cards, PayPal and invoices. Payment by invoice is due within 14 days. Vouchers and gift cards can be redeemed at checkout. Cards are charged when the order ships.'),
      article('en', 'gift-card', 'Do you sell gift cards?', ['Buy a voucher for a friend'], 'Gift cards from 10 to 200 euros are sent by email and never expire.'),
    ];
    const analyzer = analyzerFor('en', kb);
    const confidence = (passageWeight: number) => {
      const settings = { ...DEFAULT_SETTINGS, passageWeight };
      const ranked = new Ranker(analyzer, trainModel(analyzer, kb, settings), settings).rank('can i redeem a gift card at checkout');
      return { top: kb[ranked[0].index].id, probability: ranked[0].probability };
    };
    const without = confidence(0);
    const withPassages = confidence(DEFAULT_SETTINGS.passageWeight);
    expect(withPassages.top).toBe('payment-methods');
    expect(without.top).toBe('payment-methods');
    expect(withPassages.probability).toBeGreaterThan(without.probability);
  });
});
