// The help center: server-rendered pages to browse, search and rate articles. Works without
// JavaScript; the locale comes from ?lang=, else Accept-Language, else the KB's first locale.
//   GET  /help                          categories with their articles, a search box
//   GET  /help/search?q=&lang=          results with highlighted snippets, or an offer to chat
//   GET  /help/articles/:id?lang=       the article, related articles, "was this helpful?"
//   POST /help/articles/:id/feedback    the yes/no form (redirects back with a thank-you)
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import Handlebars from 'handlebars';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Article } from '../kb/types.js';
import { articlePath } from '../kb/render.js';
import { matchLocale, negotiateLocale } from '../kb/locale.js';
import { SUPPORTED_LOCALES } from '../kb/loader.js';
import { relevantHits } from '../kb/relevance.js';
import { categoryName, helpStrings, LANGUAGE_NAMES } from '../views/help/strings.js';
import { limitFeedback } from '../plugins/feedback-limit.js';

declare module 'fastify' {
  interface FastifyReply {
    /** renders a help center template (server/views/help) inside its layout */
    helpViewAsync(page: string, data: object): Promise<string>;
  }
}

const VIEWS = path.resolve(import.meta.dirname, '../views/help');
const PUBLIC = path.resolve(import.meta.dirname, '../../public');
const SEARCH_LIMIT = 10;
const RELATED_LIMIT = 5;

const LangQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 20 })) });
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  lang: Type.Optional(Type.String({ maxLength: 20 })),
});
const ArticleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const ArticleQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 20 })),
  feedback: Type.Optional(Type.Union([Type.Literal('yes'), Type.Literal('no')])),
});
const FeedbackForm = Type.Object({
  helpful: Type.Union([Type.Literal('yes'), Type.Literal('no')]),
  lang: Type.Optional(Type.String({ maxLength: 20 })),
});
const Html = Type.String({ description: 'an HTML page' });

export default fp(
  async (root) => {
    // a Map, not an object: a name like __proto__ or toString must be an unknown file, not a property
    const assets = new Map([
      ['help.css', { body: fs.readFileSync(path.join(PUBLIC, 'help.css')), type: 'text/css; charset=utf-8' }],
    ]);

    // own scope and own Handlebars instance: other surfaces (agent console) keep their own views
    await root.register(async (scope) => {
      const app = scope.withTypeProvider<TypeBoxTypeProvider>();
      await app.register(view, {
        engine: { handlebars: Handlebars.create() },
        root: VIEWS,
        layout: 'layout.hbs',
        propertyName: 'helpView',
        asyncPropertyName: 'helpViewAsync',
        options: {
          partials: {
            'search-form': 'partials/search-form.hbs',
            'chat-offer': 'partials/chat-offer.hbs',
            'article-links': 'partials/article-links.hbs',
          },
        },
      });

      app.get('/help/assets/:file', {
        schema: { hide: true, params: Type.Object({ file: Type.String() }) },
      }, async (request, reply) => {
        const asset = assets.get(request.params.file);
        if (!asset) return reply.callNotFound();
        return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
      });

      app.get('/help', {
        schema: { hide: true, summary: 'Help center start page', querystring: LangQuery, response: { 200: Html } },
      }, async (request, reply) => {
        const locale = localeFor(app, request, request.query.lang);
        const t = helpStrings(locale);
        const byCategory = new Map<string, Article[]>();
        for (const article of app.kb.articles(locale)) {
          if (!byCategory.has(article.category)) byCategory.set(article.category, []);
          byCategory.get(article.category)!.push(article);
        }
        const categories = [...byCategory].map(([slug, articles]) => ({
          slug,
          name: categoryName(locale, slug),
          articles: articles.map(link),
        }));
        return page(reply, 'index.hbs', {
          ...frame(app, request, locale, (lang) => `/help?lang=${lang}`),
          pageTitle: t.indexHeading,
          categories,
        });
      });

      app.get('/help/search', {
        schema: { hide: true, summary: 'Search results page', querystring: SearchQuery, response: { 200: Html } },
      }, async (request, reply) => {
        const locale = localeFor(app, request, request.query.lang);
        const t = helpStrings(locale);
        const q = (request.query.q ?? '').trim();
        let results: Array<{ title: string; href: string; snippet: string }> = [];
        if (q) {
          const hits = relevantHits(q, await app.kb.search(q, locale, { limit: SEARCH_LIMIT }), (hit) => app.kb.article(hit.id, hit.locale));
          await recordSearch(app, request, { query: q, locale, topArticleId: hits[0]?.id ?? null, score: hits[0]?.score ?? null });
          const searchId = await recordHelpSearch(app, request, { query: q, locale, shown: hits.map((hit) => hit.id) });
          // through the click counter when the search was recorded (insights: searches without a click)
          const href = (id: string) => (searchId === null ? articlePath(id, locale) : `/help/click/${searchId}/${encodeURIComponent(id)}?lang=${encodeURIComponent(locale)}`);
          results = hits.map((hit) => ({ title: hit.title, href: href(hit.id), snippet: hit.snippet }));
        }
        return page(reply, 'search.hbs', {
          ...frame(app, request, locale, (lang) => `/help/search?lang=${lang}${q ? `&q=${encodeURIComponent(q)}` : ''}`),
          pageTitle: t.searchHeading(q),
          heading: t.searchHeading(q),
          noindex: true,
          q,
          results,
          resultCount: t.resultCount(results.length),
        });
      });

      // a search result's link: counts the click (insights), then the article
      app.get('/help/click/:search/:id', {
        schema: {
          hide: true,
          params: Type.Object({ search: Type.Integer({ minimum: 1, maximum: 2147483647 }), id: Type.String({ minLength: 1, maxLength: 200 }) }),
          querystring: LangQuery,
          response: { 303: Type.Null() },
        },
      }, async (request, reply) => {
        const locale = localeFor(app, request, request.query.lang);
        await app.repos.turns.recordHelpClick(request.params.search, request.params.id).catch((error) => request.log.error({ err: error }, 'recording a search click failed'));
        return reply.redirect(articlePath(request.params.id, locale), 303);
      });

      app.get('/help/articles/:id', {
        schema: {
          hide: true,
          summary: 'Article page',
          params: ArticleParams,
          querystring: ArticleQuery,
          response: { 200: Html, 404: Html },
        },
      }, async (request, reply) => {
        const { id } = request.params;
        const locale = localeFor(app, request, request.query.lang);
        const article = app.kb.article(id, locale);
        if (!article) {
          // the same id in another language is the same article: send the reader there
          const elsewhere = app.kb.locales().find((other) => app.kb.article(id, other));
          if (elsewhere && !app.kb.locales().includes(request.query.lang ?? '')) return reply.redirect(articlePath(id, elsewhere), 302);
          return notFound(app, request, reply, locale);
        }
        const t = helpStrings(locale);
        if (request.query.feedback === undefined) {
          await app.repos.analytics.recordArticleView({ articleId: article.id, locale, channel: 'help_center' }).catch((error) => request.log.error({ err: error }, 'recording an article view failed'));
        }
        return page(reply, 'article.hbs', {
          ...frame(app, request, locale, (lang) => (app.kb.article(id, lang) ? articlePath(id, lang) : `/help?lang=${lang}`)),
          pageTitle: article.title,
          article,
          categoryName: categoryName(locale, article.category),
          updated: new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(article.updated)),
          feedbackGiven: request.query.feedback !== undefined,
          feedbackNegative: request.query.feedback === 'no',
          related: (await related(app, article)).map(link),
        });
      });

      // anonymous: rate-limited per IP in a scope of its own
      await app.register(async (feedbackScope) => {
        await limitFeedback(feedbackScope, 'feedback-form');
        const limited = feedbackScope.withTypeProvider<TypeBoxTypeProvider>();
        limited.post('/help/articles/:id/feedback', {
          schema: {
            hide: true,
            summary: 'The "was this helpful?" form',
            params: ArticleParams,
            querystring: LangQuery,
            body: FeedbackForm,
            response: { 303: Type.Null(), 404: Html },
          },
        }, async (request, reply) => {
          const { id } = request.params;
          const locale = localeFor(app, request, request.body.lang ?? request.query.lang);
          const article = app.kb.article(id, locale);
          if (!article) return notFound(app, request, reply, locale);
          await app.repos.analytics.recordFeedback({ articleId: id, locale, helpful: request.body.helpful === 'yes', channel: 'help-center' });
          return reply.redirect(`${articlePath(id, locale)}&feedback=${request.body.helpful}#feedback`, 303);
        });
      });
    });
  },
  { name: 'help-center', dependencies: ['services', 'kb'] },
);

type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

function localeFor(app: App, request: FastifyRequest, requested: string | undefined): string {
  return negotiateLocale(app.kb.locales(), requested, request.headers['accept-language']);
}

/**
 * When ?lang= asks for a language the help center speaks but whose articles are not served now (its folder
 * was removed), a note in that language says so: the reader must not take the page for their language.
 */
function languageUnavailableNote(app: App, request: FastifyRequest, locale: string) {
  const requested = (request.query as { lang?: string } | undefined)?.lang ?? (request.body as { lang?: string } | undefined)?.lang;
  if (!requested || matchLocale(app.kb.locales(), requested)) return undefined;
  const language = matchLocale(SUPPORTED_LOCALES, requested);
  if (!language || language === locale) return undefined;
  return { lang: language, text: helpStrings(language).languageUnavailable(LANGUAGE_NAMES[locale] ?? locale) };
}

/** What every page's layout needs: the locale, its strings and the language switch. */
function frame(app: App, request: FastifyRequest, locale: string, hrefFor: (lang: string) => string) {
  return {
    languageNote: languageUnavailableNote(app, request, locale),
    locale,
    t: helpStrings(locale),
    languages: app.kb.locales().map((code) => ({ code, name: LANGUAGE_NAMES[code] ?? code, href: hrefFor(code), current: code === locale })),
  };
}

async function page(reply: FastifyReply, template: string, data: object): Promise<FastifyReply> {
  const html = await reply.helpViewAsync(template, data);
  return reply.type('text/html; charset=utf-8').send(html);
}

async function notFound(app: App, request: FastifyRequest, reply: FastifyReply, locale: string) {
  const t = helpStrings(locale);
  reply.code(404);
  return page(reply, 'not-found.hbs', {
    ...frame(app, request, locale, (lang) => `/help?lang=${lang}`),
    pageTitle: t.notFoundHeading,
    noindex: true,
    q: '',
  });
}

function link(article: Article) {
  return { title: article.title, href: articlePath(article.id, article.locale) };
}

/** Articles the search engine finds for this one's title, then the rest of its category. */
async function related(app: App, article: Article): Promise<Article[]> {
  const { hits } = await app.kb.search(article.title, article.locale, { limit: RELATED_LIMIT + 1 });
  const ids = [...hits.map((hit) => hit.id), ...app.kb.articles(article.locale).filter((a) => a.category === article.category).map((a) => a.id)];
  return [...new Set(ids)]
    .filter((id) => id !== article.id)
    .slice(0, RELATED_LIMIT)
    .map((id) => app.kb.article(id, article.locale))
    .filter((a): a is Article => a !== undefined);
}

/** Search events feed the content-gap report; losing one must not cost the customer the page. */
async function recordSearch(app: App, request: FastifyRequest, event: { query: string; locale: string; topArticleId: string | null; score: number | null }) {
  try {
    await app.repos.analytics.recordSearch({ ...event, channel: 'help-center', decision: null });
  } catch (error) {
    request.log.error({ err: error }, 'recording a search event failed');
  }
}

/** Help-center searches with what they showed (insights); null when it could not be stored. */
async function recordHelpSearch(app: App, request: FastifyRequest, search: { query: string; locale: string; shown: string[] }): Promise<number | null> {
  try {
    return await app.repos.turns.recordHelpSearch(search);
  } catch (error) {
    request.log.error({ err: error }, 'recording a help search failed');
    return null;
  }
}
