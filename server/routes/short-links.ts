// GET /s/<code>: the short article link sent by SMS. Redirects to the article in the help center and
// counts the view for the channel that sent the link.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { articlePath } from '../kb/render.js';
import { shortCode } from '../kb/short-links.js';

export default async function shortLinks(scope: FastifyInstance) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/s/:code',
    {
      schema: {
        tags: ['knowledge base'],
        summary: 'Short article link (from SMS): redirects to the article and counts the view',
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{7}$' }) }),
        response: { 302: Type.Null(), 404: Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      for (const locale of app.kb.locales()) {
        const article = app.kb.articles(locale).find((a) => shortCode(locale, a.id) === request.params.code);
        if (!article) continue;
        await app.repos.analytics.recordArticleView({ articleId: article.id, locale, channel: 'sms' });
        return reply.redirect(`${app.config.publicUrl}${articlePath(article.id, locale)}`, 302);
      }
      return reply.code(404).send({ error: 'Not Found', message: 'No article with this short link (it may have been removed).', statusCode: 404 });
    },
  );
}
