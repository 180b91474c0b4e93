// The learned evidence for editors: list the questions the engine learnt from usage, and remove a wrong
// one (it is gone from the index at the next build). Editors and admins only.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES } from '../handoff/auth.js';

const LearnedQuestion = Type.Object({
  id: Type.Integer(),
  locale: Type.String(),
  articleId: Type.String(),
  question: Type.String(),
  source: Type.Union([Type.Literal('customer_pick'), Type.Literal('agent_insert')], { description: 'the customer picked the article from suggestions, or an agent sent it' }),
  conversationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const Problem = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });

/** Registered inside the agent API's scope: its session, role (`config.roles`) and CSRF hooks apply. */
export default async function learnedApi(scope: FastifyInstance) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['agent'];
  const security = [{ agentSession: [] }];
  app.get(
    '/api/agent/kb/learned',
    {
      config: { roles: ROLES.content },
      schema: {
        tags,
        security,
        summary: 'Questions the search engine learnt from usage (newest first)',
        description: 'A question whose suggested article the customer picked, or that an agent answered by sending an article. The engine trains on them at its next build.',
        querystring: Type.Object({
          locale: Type.Optional(Type.String({ maxLength: 20 })),
          articleId: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Object({ learned: Type.Array(LearnedQuestion) }), 403: Problem },
      },
    },
    async (request) => ({ learned: await app.repos.learned.list(request.query) }),
  );

  app.delete(
    '/api/agent/kb/learned/:id',
    {
      config: { roles: ROLES.content },
      schema: {
        tags,
        security,
        summary: 'Remove a learned question (the engine forgets it at its next build)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      if (!(await app.repos.learned.remove(request.params.id))) {
        return reply.code(404).send({ error: 'Not Found', message: `No learned question ${request.params.id}.`, statusCode: 404 });
      }
      return reply.code(204).send(null);
    },
  );
}
