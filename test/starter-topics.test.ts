// The greeting's starter topics from stored search events: the most asked articles of the last 30 days,
// topped up with the locale's first articles when history is short, never a removed article.
import { describe, expect, it } from 'vitest';
import type { ArticleRef } from '../bot/ports.js';
import { AnalyticsRepository } from '../server/store/events.js';
import { starterTopics } from '../server/kb/starter-topics.js';
import { dialects, storePerTest } from './helpers/services.js';

const ref = (id: string): ArticleRef => ({ id, title: `Title ${id}`, summary: '', url: `https://shop.example/help/de/${id}` });
const KB = ['returns', 'delivery-times', 'payment-methods', 'order-status'].map(ref);
const NOW = new Date('2026-11-30T12:00:00Z');

describe.each(dialects)('starter topics on $name', (dialect) => {
  const stores = storePerTest(dialect);

  async function recorded(ctx: { skip: () => void }, events: Array<{ at: string; articleId: string; decision?: string; locale?: string }>) {
    const store = await stores.open(ctx);
    for (const event of events) {
      const analytics = new AnalyticsRepository(store.db, () => event.at);
      await analytics.recordSearch({ query: 'q', locale: event.locale ?? 'de', channel: 'web', decision: event.decision ?? 'answer', topArticleId: event.articleId, score: 1 });
    }
    const analytics = new AnalyticsRepository(store.db);
    return starterTopics({ mostAsked: (locale, since, limit) => analytics.mostAskedArticles(locale, since, limit), articles: (locale) => (locale === 'de' ? KB : []), now: () => NOW });
  }

  it('offers the articles asked about most in the last 30 days, most asked first', async (ctx) => {
    const topics = await recorded(ctx, [
      ...Array.from({ length: 3 }, () => ({ at: '2026-11-29T10:00:00Z', articleId: 'order-status' })),
      ...Array.from({ length: 2 }, () => ({ at: '2026-11-20T10:00:00Z', articleId: 'payment-methods' })),
      { at: '2026-11-25T10:00:00Z', articleId: 'delivery-times' },
      // older than 30 days, and "did you mean" offers, and another locale: none of them count
      ...Array.from({ length: 5 }, () => ({ at: '2026-10-01T10:00:00Z', articleId: 'returns' })),
      ...Array.from({ length: 5 }, () => ({ at: '2026-11-29T10:00:00Z', articleId: 'returns', decision: 'suggest' })),
      ...Array.from({ length: 5 }, () => ({ at: '2026-11-29T10:00:00Z', articleId: 'returns', locale: 'en' })),
    ]);
    expect((await topics.forLocale('de')).map((t) => t.id)).toEqual(['order-status', 'payment-methods', 'delivery-times']);
  });

  it('falls back to the first articles of the locale without history, and skips articles no longer in the KB', async (ctx) => {
    const topics = await recorded(ctx, [
      { at: '2026-11-29T10:00:00Z', articleId: 'removed-article' },
      { at: '2026-11-29T10:00:00Z', articleId: 'removed-article' },
      { at: '2026-11-29T10:00:00Z', articleId: 'payment-methods' },
    ]);
    const offered = await topics.forLocale('de');
    expect(offered.map((t) => t.id)).toEqual(['payment-methods', 'returns', 'delivery-times']);
    expect(offered[0]).toEqual(ref('payment-methods'));
  });
});
