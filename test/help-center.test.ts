// The help center pages, as a customer's browser gets them (no JavaScript needed).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOn, article, copyKb, writeKbFile } from './fixtures/kb-fixtures.js';

let ctx: Awaited<ReturnType<typeof appOn>>;
beforeAll(async () => {
  const kb = copyKb();
  writeKbFile(kb, 'en/account/unsafe.md', article({ title: 'Unsafe article' }, 'Hi <script>alert("owned")</script> [x](javascript:alert(1)) there.'));
  ctx = await appOn(kb);
});
afterAll(async () => ctx?.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url, headers });
/** attribute values come back entity-encoded ("=" as &#x3D;); compare them decoded */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

describe('/help', () => {
  it('lists the categories with their articles and has a labelled search box', async () => {
    const response = await get('/help?lang=de');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const html = decoded(response.body);
    expect(html).toContain('<html lang="de">');
    expect(html).toMatch(/<main[^>]*id="main"/);
    expect(html).toContain('<h1 id="page-heading">Wie können wir helfen?</h1>');
    expect(html).toContain('>Bezahlung</h3>');
    expect(html).toContain('<a href="/help/articles/bank-transfer?lang=de">Kann ich per Überweisung bezahlen?</a>');
    expect(html).toMatch(/<label for="help-search-q">[^<]+<\/label>/);
    expect(html).toContain('id="help-search-q" name="q"');
    // the language switch
    expect(html).toContain('<a href="/help?lang=en" lang="en" hreflang="en">English</a>');
  });

  it('picks the language from Accept-Language when there is no ?lang=', async () => {
    const response = await get('/help', { 'accept-language': 'en-GB,en;q=0.9,de;q=0.5' });
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('How can we help?');
  });

  it('falls back to the first locale for a language the KB does not have', async () => {
    const response = await get('/help?lang=fr', { 'accept-language': 'fr-FR' });
    expect(response.body).toContain('<html lang="de">');
  });

  it('serves its stylesheet', async () => {
    const response = await get('/help/assets/help.css');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/css/);
    expect(response.body).toContain(':focus-visible');
  });
});

describe('/help/search', () => {
  it('shows results with highlighted snippets and records the search', async () => {
    const response = await get(`/help/search?lang=de&q=${encodeURIComponent('Wo ist mein Paket?')}`);
    expect(response.statusCode).toBe(200);
    const html = decoded(response.body);
    // result links count the click (insights), then redirect to the article
    expect(html).toMatch(/<a href="\/help\/click\/\d+\/parcel-tracking\?lang=de">Wo ist mein Paket\?<\/a>/);
    expect(html).toContain('<mark>Paket</mark>');
    expect(html).toContain('value="Wo ist mein Paket?"');
    const events = await ctx.store.db.selectFrom('search_events').selectAll().where('channel', '=', 'help-center').execute();
    expect(events.at(-1)).toMatchObject({ query: 'Wo ist mein Paket?', locale: 'de', top_article_id: 'parcel-tracking' });
  });

  it('finds and highlights a word the customer misspelt by one letter', async () => {
    const response = await get(`/help/search?lang=de&q=${encodeURIComponent('Überwiesung')}`);
    const html = decoded(response.body);
    expect(html).toMatch(/<a href="\/help\/click\/\d+\/bank-transfer\?lang=de">/);
    expect(html).toContain('<mark>Überweisung</mark>');
  });

  it('escapes what the customer typed', async () => {
    const response = await get(`/help/search?lang=en&q=${encodeURIComponent('<img src=x onerror=alert(1)> card')}`);
    expect(response.body).not.toContain('<img src=x');
    expect(response.body).toContain('&lt;img src');
  });

  it('says so when nothing matches and offers the chat', async () => {
    const response = await get('/help/search?lang=en&q=xylophone%20quartz');
    expect(response.statusCode).toBe(200);
    expect(decoded(response.body)).toContain("Sorry, we couldn't find an article about that.");
    expect(decoded(response.body)).toMatch(/<a class="chat-link" href="\/\?chat=open&lang=en" data-supportdesk-open>Start a chat<\/a>/);
    const events = await ctx.store.db.selectFrom('search_events').selectAll().where('query', '=', 'xylophone quartz').execute();
    expect(events).toEqual([expect.objectContaining({ channel: 'help-center', top_article_id: null, score: null })]);
  });

  it('a query that is too long is refused with a reason', async () => {
    const response = await get(`/help/search?q=${'a'.repeat(501)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/q/);
  });
});

describe('/help/articles/:id', () => {
  it('shows the article with breadcrumbs, related articles and the feedback form', async () => {
    const response = await get('/help/articles/card-payment?lang=de');
    expect(response.statusCode).toBe(200);
    const html = decoded(response.body);
    expect(html).toContain('<h1 id="page-heading">Welche Kreditkarten nehmen Sie an?</h1>');
    expect(html).toMatch(/<nav class="breadcrumbs" aria-label="Sie sind hier">[\s\S]*Bezahlung[\s\S]*<\/nav>/);
    expect(html).toContain('Sie können mit Visa, Mastercard und American Express bezahlen.');
    expect(html).toMatch(/<aside class="related"[\s\S]*\/help\/articles\/bank-transfer\?lang=de/);
    expect(html).toContain('<form method="post" action="/help/articles/card-payment/feedback">');
    expect(html).toContain('War dieser Artikel hilfreich?');
    expect(html).toContain('<button type="submit" name="helpful" value="yes">Ja</button>');
    // the language switch leads to the same article in English
    expect(html).toContain('<a href="/help/articles/card-payment?lang=en" lang="en" hreflang="en">English</a>');
  });

  it('does not render script or javascript: links from the markdown', async () => {
    const response = await get('/help/articles/unsafe?lang=en');
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('alert(');
    expect(response.body).not.toMatch(/javascript:/i);
  });

  it('the feedback form works without JavaScript: stored, then a thank-you', async () => {
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/help/articles/card-payment/feedback',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'lang=de&helpful=no',
    });
    expect(post.statusCode).toBe(303);
    const rows = await ctx.store.db.selectFrom('feedback').selectAll().where('channel', '=', 'help-center').execute();
    expect(rows.at(-1)).toMatchObject({ article_id: 'card-payment', locale: 'de', helpful: 0 });

    const thanks = await get(post.headers.location as string);
    expect(thanks.body).toContain('Danke für Ihre Rückmeldung!');
    expect(thanks.body).not.toContain('<form method="post"');
    expect(thanks.body).toContain('data-supportdesk-open'); // "did not help" offers the chat
  });

  it('feedback without a yes/no answer is refused with a reason', async () => {
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/help/articles/card-payment/feedback',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'lang=de&helpful=perhaps',
    });
    expect(post.statusCode).toBe(400);
    expect(post.json().message).toMatch(/helpful/);
  });

  it('an unknown article is a 404 page with a search box', async () => {
    const response = await get('/help/articles/no-such-thing?lang=en');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('Article not found');
    expect(response.body).toContain('name="q"');
  });
});

describe('the sample content', () => {
  let sample: Awaited<ReturnType<typeof appOn>>;
  beforeAll(async () => {
    sample = await appOn(path.resolve(import.meta.dirname, '../kb-content'));
  });
  afterAll(async () => sample?.close());

  it('loads without problems and every article page renders', async () => {
    expect(sample.app.kb.problems()).toEqual([]);
    for (const locale of sample.app.kb.locales()) {
      const articles = sample.app.kb.articles(locale);
      expect(articles.length).toBeGreaterThanOrEqual(30);
      for (const { id } of articles) {
        const response = await sample.app.inject({ url: `/help/articles/${id}?lang=${locale}` });
        expect(response.statusCode, `${locale}/${id}`).toBe(200);
      }
    }
  });
});
