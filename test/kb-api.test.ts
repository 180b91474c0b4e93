// The JSON API over the knowledge base, driven through the whole app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOn, copyKb } from './fixtures/kb-fixtures.js';

let ctx: Awaited<ReturnType<typeof appOn>>;
beforeAll(async () => {
  ctx = await appOn(copyKb());
});
afterAll(async () => ctx?.close());

const searchEvents = () => ctx.store.db.selectFrom('search_events').selectAll().orderBy('id').execute();
const feedbackRows = () => ctx.store.db.selectFrom('feedback').selectAll().orderBy('id').execute();

describe('GET /api/search', () => {
  it('returns ranked results with snippet and absolute url', async () => {
    const response = await ctx.app.inject({ url: '/api/search?q=card%3F&locale=en&limit=3' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.locale).toBe('en');
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(3);
    expect(body.results[0]).toEqual({
      id: 'card-payment',
      title: 'Which credit cards do you accept?',
      summary: 'We accept Visa, Mastercard and American Express.',
      url: 'https://help.example/help/articles/card-payment?lang=en',
      score: expect.any(Number),
      snippet: expect.stringContaining('<mark>'),
    });
  });

  it('German with umlauts and punctuation', async () => {
    const response = await ctx.app.inject({ url: `/api/search?q=${encodeURIComponent('Überweisung?!')}&locale=de` });
    expect(response.json().results[0].id).toBe('bank-transfer');
  });

  it('records every search as an event with channel api, the top hit and its score', async () => {
    const before = (await searchEvents()).length;
    const response = await ctx.app.inject({ url: `/api/search?q=${encodeURIComponent('Wo ist mein Paket?')}&locale=de` });
    const top = response.json().results[0];
    const events = await searchEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ query: 'Wo ist mein Paket?', locale: 'de', channel: 'api', decision: null, top_article_id: 'parcel-tracking' });
    expect(events.at(-1)!.score).toBeCloseTo(top.score);
  });

  it('lunr syntax in the query is just text', async () => {
    const response = await ctx.app.inject({ url: `/api/search?q=${encodeURIComponent('card:title^10 ~2 +visa -x *')}&locale=en` });
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['/api/search', /q/],
    ['/api/search?q=', /q/],
    [`/api/search?q=${'x'.repeat(501)}`, /q/],
    ['/api/search?q=card&limit=0', /limit/],
    ['/api/search?q=card&limit=21', /limit/],
    ['/api/search?q=card&limit=many', /limit/],
    ['/api/search?q=card&locale=%3Cscript%3E', /locale/],
  ])('%s is refused with 400 and a reason', async (url, reason) => {
    const response = await ctx.app.inject({ url });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(reason);
  });
});

describe('GET /api/articles/:id', () => {
  it('returns the article with its html', async () => {
    const response = await ctx.app.inject({ url: '/api/articles/bank-transfer?locale=de' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 'bank-transfer',
      locale: 'de',
      title: 'Kann ich per Überweisung bezahlen?',
      summary: expect.stringContaining('Vorkasse per Überweisung'),
      html: expect.stringContaining('<strong>Vorkasse per Überweisung</strong>'),
      questions: ['Bezahlen mit Vorkasse', 'Wohin überweise ich den Betrag?'],
      category: 'payment',
      tags: ['überweisung', 'vorkasse'],
      updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      url: 'https://help.example/help/articles/bank-transfer?lang=de',
    });
  });

  it('an unknown article is a 404', async () => {
    const response = await ctx.app.inject({ url: '/api/articles/no-such-article?locale=en' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toContain('no-such-article');
  });
});

describe('POST /api/feedback', () => {
  it('stores the feedback with channel api and answers 201', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'card-payment', helpful: false, comment: 'Amex?', locale: 'en' } });
    expect(response.statusCode).toBe(201);
    expect((await feedbackRows()).at(-1)).toMatchObject({ article_id: 'card-payment', locale: 'en', helpful: 0, channel: 'api', comment: 'Amex?' });
  });

  it('without a locale the article is found in the first locale that has it', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'parcel-tracking', helpful: true } });
    expect(response.statusCode).toBe(201);
    expect((await feedbackRows()).at(-1)).toMatchObject({ article_id: 'parcel-tracking', locale: 'de', helpful: 1 });
  });

  it('an unknown article is a 404 and nothing is stored', async () => {
    const before = (await feedbackRows()).length;
    const response = await ctx.app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'nope', helpful: true } });
    expect(response.statusCode).toBe(404);
    expect(await feedbackRows()).toHaveLength(before);
  });

  it.each([
    [{ helpful: true }, /articleId/],
    [{ articleId: 'card-payment' }, /helpful/],
    [{ articleId: 'card-payment', helpful: 'maybe' }, /helpful/],
    [{ articleId: 'card-payment', helpful: true, comment: 'x'.repeat(1001) }, /comment/],
  ])('%j is refused with 400 and a reason', async (payload, reason) => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/feedback', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(reason);
  });
});

describe('feedback abuse', () => {
  it('one address sending too much feedback gets 429 with a reason, on the API and the help-center form, and the extra votes are not counted', async () => {
    const limited = await appOn(copyKb(), { FEEDBACK_PER_MINUTE_PER_IP: '3' });
    try {
      const api = () => limited.app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'card-payment', helpful: true, locale: 'en' } });
      for (let i = 0; i < 3; i++) expect((await api()).statusCode).toBe(201);
      const refused = await api();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().message).toMatch(/Too much feedback/);
      const form = () =>
        limited.app.inject({
          method: 'POST',
          url: '/help/articles/card-payment/feedback?lang=en',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'helpful=no&lang=en',
        });
      for (let i = 0; i < 3; i++) expect((await form()).statusCode).toBe(303); // the form has a budget of its own
      expect((await form()).statusCode).toBe(429);
      const rows = await limited.store.db.selectFrom('feedback').selectAll().execute();
      expect(rows.filter((r) => r.channel === 'api')).toHaveLength(3);
      expect(rows.filter((r) => r.channel === 'help-center')).toHaveLength(3);
      // searching is not limited by it
      expect((await limited.app.inject({ url: '/api/search?q=card&locale=en' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the three routes under "knowledge base"', async () => {
    const spec = (await ctx.app.inject({ url: '/docs/json' })).json();
    expect(spec.paths['/api/search'].get.tags).toEqual(['knowledge base']);
    expect(spec.paths['/api/articles/{id}'].get.tags).toEqual(['knowledge base']);
    expect(spec.paths['/api/feedback'].post.tags).toEqual(['knowledge base']);
    expect(spec.paths['/api/search'].get.responses['200']).toBeDefined();
  });
});
