// The knowledge base as JSON for other front ends and integrations (documented at /docs).
//   GET  /api/search?q=&locale=&limit=   ranked articles with highlighted snippets
//   GET  /api/articles/:id?locale=       one article with its rendered HTML
//   POST /api/feedback                   "this article helped / did not help"
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { articlePath } from '../kb/render.js';
import { relevantHits } from '../kb/relevance.js';
import { matchLocale } from '../kb/locale.js';
import { limitFeedback } from '../plugins/feedback-limit.js';

const TAGS = ['knowledge base'];

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });
const Locale = Type.String({ minLength: 2, maxLength: 20, pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$', description: 'e.g. de or en (de-AT means de); a locale the knowledge base does not serve answers 404. Without it: the default locale' });

const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 500, description: "the customer's question or search words" }),
  locale: Type.Optional(Locale),
  limit: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
});
const SearchResult = Type.Object({
  id: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  url: Type.String({ description: 'the article in the help center' }),
  score: Type.Number({ description: 'higher is better; comparable only within one search' }),
  snippet: Type.String({ description: 'HTML-escaped excerpt with <mark> around matched words' }),
});
const SearchReply = Type.Object({
  locale: Type.String({ description: 'the locale that was searched' }),
  results: Type.Array(SearchResult),
});

const ArticleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const ArticleQuery = Type.Object({ locale: Type.Optional(Locale) });
const ArticleReply = Type.Object({
  id: Type.String(),
  locale: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  html: Type.String({ description: 'sanitized HTML of the body' }),
  questions: Type.Array(Type.String()),
  category: Type.String(),
  tags: Type.Array(Type.String()),
  updated: Type.String({ format: 'date-time' }),
  url: Type.String(),
});

const FeedbackBody = Type.Object(
  {
    articleId: Type.String({ minLength: 1, maxLength: 200 }),
    helpful: Type.Boolean(),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);
const FeedbackReply = Type.Object({ status: Type.Literal('recorded') });

export default fp(
  async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    /** the requested locale when the KB has it, the default one when none was requested; undefined when it is not served */
    const localeOf = (requested: string | undefined) => (requested === undefined ? app.kb.locales()[0] : matchLocale(app.kb.locales(), requested));
    /** a requested locale that is not served is said so: answering in another language would pass for an answer */
    const unavailable = (requested: string | undefined) => ({
      error: 'Not Found',
      message: `locale "${requested}" is not available (this knowledge base serves: ${app.kb.locales().join(', ')})`,
      statusCode: 404,
    });

    app.get('/api/search', {
      schema: {
        tags: TAGS,
        summary: 'Search articles',
        description: 'Articles that contain the words of q, or that the engine is confident answer it, best first. Every search is recorded for content-gap reports.',
        querystring: SearchQuery, response: { 200: SearchReply, 400: ErrorReply, 404: ErrorReply } },
    }, async (request, reply) => {
      const { q, limit } = request.query;
      const locale = localeOf(request.query.locale);
      if (!locale) return reply.code(404).send(unavailable(request.query.locale));
      const hits = relevantHits(q, await app.kb.search(q, locale, { limit }), (hit) => app.kb.article(hit.id, hit.locale));
      try {
        await app.repos.analytics.recordSearch({ query: q, locale, channel: 'api', decision: null, topArticleId: hits[0]?.id ?? null, score: hits[0]?.score ?? null });
      } catch (error) {
        request.log.error({ err: error }, 'recording a search event failed');
      }
      return {
        locale,
        results: hits.map(({ id, title, summary, url, score, snippet }) => ({ id, title, summary, url, score, snippet })),
      };
    });

    app.get('/api/articles/:id', {
      schema: { tags: TAGS, summary: 'Read one article', params: ArticleParams, querystring: ArticleQuery, response: { 200: ArticleReply, 404: ErrorReply } },
    }, async (request, reply) => {
      const locale = localeOf(request.query.locale);
      if (!locale) return reply.code(404).send(unavailable(request.query.locale));
      const article = app.kb.article(request.params.id, locale);
      if (!article) return reply.code(404).send({ error: 'Not Found', message: `No article "${request.params.id}" in ${locale}`, statusCode: 404 });
      // public content, read by the chat widget on other companies' sites (no cookies are involved)
      reply.header('access-control-allow-origin', '*');
      const { id, title, summary, html, questions, category, tags, updated } = article;
      return { id, locale, title, summary, html, questions, category, tags, updated, url: `${app.config.publicUrl}${articlePath(id, locale)}` };
    });

    // anonymous: rate-limited per IP in a scope of its own
    await app.register(async (scope) => {
      await limitFeedback(scope, 'feedback-api');
      const limited = scope.withTypeProvider<TypeBoxTypeProvider>();
      limited.post('/api/feedback', {
        schema: {
          tags: TAGS,
          summary: 'Say whether an article helped',
          body: FeedbackBody,
          response: { 201: FeedbackReply, 400: ErrorReply, 404: ErrorReply },
        },
      }, async (request, reply) => {
        const { articleId, helpful, comment } = request.body;
        // without a locale, the article in the first locale that has it
        if (request.body.locale && !localeOf(request.body.locale)) return reply.code(404).send(unavailable(request.body.locale));
        const locale = request.body.locale ? localeOf(request.body.locale) : app.kb.locales().find((l) => app.kb.article(articleId, l));
        if (!locale || !app.kb.article(articleId, locale)) {
          return reply.code(404).send({ error: 'Not Found', message: `No article "${articleId}"${request.body.locale ? ` in ${locale}` : ''}`, statusCode: 404 });
        }
        await app.repos.analytics.recordFeedback({ articleId, locale, helpful, channel: 'api', comment: comment?.trim() || null });
        return reply.code(201).send({ status: 'recorded' as const });
      });
    });
  },
  { name: 'kb-api', dependencies: ['services', 'kb'] },
);
