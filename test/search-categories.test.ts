import { describe, expect, it } from 'vitest';
import { modelKey } from '../server/kb/search/model-cache.js';
import { analyzerFor, DEFAULT_SETTINGS, Ranker, trainModel, type ModelSettings } from '../server/kb/search/model.js';
import { article, ENGLISH } from './search-fixtures.js';

const inCategory = (category: string, ...args: Parameters<typeof article>) => ({ ...article(...args), category });

// two topics of a help center; "refund" and "return-item" both give money back
const HELP_CENTER = [
  inCategory('billing', 'en', 'refund', 'How do I get a refund?', ['When will my money come back?'], 'A refund of an overpaid bill goes back to the card you paid with. Refunds take 5 working days.'),
  inCategory('billing', 'en', 'pay-bill', 'How can I pay my bill?', ['Ways to pay'], 'Pay your monthly bill by card or Direct Debit in the app. A payment shows on your account the next day.'),
  inCategory('billing', 'en', 'late-fee', 'What happens if I pay my bill late?', [], 'A late payment adds a fee of 5 pounds to your next bill. Pay the overdue amount to avoid it.'),
  inCategory('orders', 'en', 'return-item', 'How do I return an item?', ['Send something back'], 'Print the free return label and drop the parcel at a post office. We refund the item within 14 days.'),
  inCategory('orders', 'en', 'track-parcel', 'Where is my parcel?', ['Track my order'], 'Follow your parcel with the tracking link in the email. Couriers deliver within 3 days.'),
  inCategory('orders', 'en', 'cancel-order', 'How do I cancel an order?', [], 'An order can be cancelled in the app until the parcel is sent.'),
];

function ranker(articles: typeof HELP_CENTER, settings: ModelSettings) {
  const analyzer = analyzerFor('en', articles);
  const model = trainModel(analyzer, articles, settings);
  return { model, top: (query: string) => new Ranker(analyzer, model, settings).rank(query).map((r) => articles[r.index].id) };
}

describe('categories as evidence', () => {
  it("keeps a question among its topic's articles when one phrase points to an article of another topic", () => {
    const query = 'get money back for the parcel item';
    // "money back" is the refund article's own question; "parcel" and "item" are what the orders articles talk about
    expect(ranker(HELP_CENTER, { ...DEFAULT_SETTINGS, categoryWeight: 0 }).top(query)[0]).toBe('refund');
    expect(ranker(HELP_CENTER, DEFAULT_SETTINGS).top(query)[0]).toBe('return-item');
    // a question of the billing topic stays there
    expect(ranker(HELP_CENTER, DEFAULT_SETTINGS).top('refund the overpaid bill').slice(0, 3)).toEqual(expect.arrayContaining(['refund', 'pay-bill', 'late-fee']));
  });

  it('trains no category model for a KB in one category, which ranks as without categories', () => {
    const one = ranker(ENGLISH, DEFAULT_SETTINGS);
    expect(one.model.categories).toBeUndefined();
    const without = ranker(ENGLISH, { ...DEFAULT_SETTINGS, categoryWeight: 0 });
    for (const query of ['money back please', 'forgot password!!', 'where is my card']) expect(one.top(query)).toEqual(without.top(query));
  });
});

describe('categories and the model cache', () => {
  it('an article moved to another category is a new model (the category model learnt the old grouping)', () => {
    const input = { locale: 'en', articles: HELP_CENTER, synonyms: [], settings: DEFAULT_SETTINGS };
    const moved = HELP_CENTER.map((a) => (a.id === 'refund' ? { ...a, category: 'orders' } : a));
    expect(modelKey({ ...input, articles: moved })).not.toBe(modelKey(input));
    expect(modelKey({ ...input, articles: [...HELP_CENTER] })).toBe(modelKey(input));
  });
});
