// The agent login page, the login form post (rate limited per IP) and logout.
// The login form has no session yet, so its CSRF token is a double-submit cookie: the form field must
// equal a random HttpOnly SameSite=Strict cookie set with the page (a cross-site form cannot read or set it).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CSRF_FIELD, newToken, sameToken, type AgentAuth } from './auth.js';
import { renderAgentView } from './views.js';
import { AGENT_PAGE_HEADERS } from './console-routes.js';

export default async function loginRoutes(scope: FastifyInstance, { auth }: { auth: AgentAuth }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const LOGIN_FORM_MAX_AGE = 3600;

  function page(reply: FastifyReply, status: number, data: { error?: string; login?: string }) {
    const csrfToken = newToken();
    // Path=/ (from cookieOptions): browsers drop a `__Host-` cookie with any other path, and https uses that prefix
    reply.setCookie(auth.loginCsrfCookie, csrfToken, auth.cookieOptions(LOGIN_FORM_MAX_AGE));
    return reply.code(status).headers(AGENT_PAGE_HEADERS).type('text/html; charset=utf-8').send(renderAgentView('login', { ...data, csrfToken }));
  }

  // a refused login attempt (too many) is a page too, not a JSON error
  app.setErrorHandler((error: any, _request, reply) => {
    if (error.statusCode === 429) return page(reply, 429, { error: 'Too many login attempts from your address. Please wait a few minutes and try again.' });
    throw error;
  });

  app.get('/agent/login', { schema: { hide: true }, helmet: app.securityHeaders.agentPage }, async (request, reply) => {
    if (await auth.session(request)) return reply.redirect('/agent', 303);
    return page(reply, 200, {});
  });

  app.post(
    '/agent/login',
    {
      helmet: app.securityHeaders.agentPage,
      schema: {
        hide: true,
        body: Type.Object({
          login: Type.String({ maxLength: 200 }),
          password: Type.String({ maxLength: 1000 }),
          [CSRF_FIELD]: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
      config: { rateLimit: { max: scope.config.agents.loginAttemptsPer15Minutes, timeWindow: 15 * 60_000 } },
    },
    async (request, reply) => {
      const { login, password } = request.body;
      if (!sameToken(request.body[CSRF_FIELD], request.cookies[auth.loginCsrfCookie])) {
        return page(reply, 403, { error: 'The login form had expired. Please try again.', login });
      }
      const agent = await auth.checkPassword(login, password);
      if (!agent) {
        request.log.info({ login }, 'agent login failed');
        return page(reply, 401, { error: 'Wrong login or password.', login });
      }
      await auth.logIn(reply, agent);
      reply.clearCookie(auth.loginCsrfCookie, { path: '/', secure: auth.secure });
      request.log.info({ agentId: agent.id }, 'agent logged in');
      return reply.redirect('/agent', 303);
    },
  );

  // logout changes state: it needs the session and its CSRF token like every other agent action
  app.post(
    '/agent/logout',
    {
      schema: { hide: true, body: Type.Optional(Type.Object({ [CSRF_FIELD]: Type.Optional(Type.String({ maxLength: 200 })) })) },
      onRequest: auth.requireApiSession,
      preValidation: auth.requireCsrf,
    },
    async (request, reply) => {
      await auth.logOut(request, reply);
      return reply.redirect('/agent/login', 303);
    },
  );
}
