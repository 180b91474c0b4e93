// The human queue as a Fastify plugin: decorates `handoff` (the bot's Handoff port plus the agent actions),
// makes sure there is someone to log in, and registers the agent login, the JSON API and the console.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { AgentRepository } from '../store/agents.js';
import { Deliveries } from './delivery.js';
import { HandoffService } from './service.js';
import { DatabasePresence, type Presence } from './presence.js';
import { ensureFirstAdmin } from './first-admin.js';
import { AgentAuth } from './auth.js';
import { rateLimitStore } from '../limits/window-counter.js';
import loginRoutes from './login-routes.js';
import consoleRoutes from './console-routes.js';
import agentApi from './api.js';
import insightsRoutes from '../insights/routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    handoff: HandoffService;
    agents: AgentRepository;
    /** how each channel delivers agent and handoff messages; channels register theirs */
    deliveries: Deliveries;
    /** which agents are online, away or offline (issue 13) */
    presence: Presence;
  }
}

export default fp(
  async (app) => {
    const agents = new AgentRepository(app.store.db, () => app.clock.now().toISOString());
    const deliveries = new Deliveries(app.repos.conversations, app.log);
    const presence = new DatabasePresence(app.store.db, app.clock, { awayAfterMinutes: app.config.waiting.agentAwayAfterMinutes });
    const handoff = new HandoffService({
      repos: app.repos,
      agents,
      transcript: app.transcript,
      clock: app.clock,
      openingHours: app.config.openingHours,
      deliveries,
      presence,
      logger: app.log,
    });
    app.decorate('agents', agents);
    app.decorate('handoff', handoff);
    app.decorate('deliveries', deliveries);
    app.decorate('presence', presence);

    // Outside opening hours a queued customer's message may carry the e-mail or phone number for the answer.
    const unsubscribe = app.bus.subscribe('*', (event) => {
      if (event.type !== 'message' || event.message.author !== 'customer') return;
      handoff.onCustomerMessage(event.conversationId, event.message.text).catch((error) => app.log.error({ err: error }, 'could not check a message for a callback contact'));
    });
    app.addHook('onClose', async () => unsubscribe());

    await ensureFirstAdmin(agents, app.config.agents.initialAdminPassword, app.log);

    // The agent surfaces, in their own scope: cookies and the login rate limit stay out of the public routes.
    const auth = new AgentAuth(agents, app.config, app.clock);
    // sessions ended here end on every instance: their live sockets close wherever they are
    const stopForwarding = auth.onSessionEnd((sessionKey) => app.bus.publishSessionsEnded([sessionKey]));
    app.addHook('onClose', async () => stopForwarding());
    await app.register(async (scope) => {
      if (!scope.hasDecorator('parseCookie')) await scope.register(cookie);
      if (!scope.hasDecorator('rateLimit')) await scope.register(rateLimit, { global: false, store: rateLimitStore(app.windowCounter, 'agent') });
      scope.decorateRequest('agentSession', null);
      // agent answers hold customer data and the CSRF token (GET /api/agent/me): no cache may keep them
      scope.addHook('onSend', async (_request, reply) => {
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      });
      await scope.register(loginRoutes, { auth });
      await scope.register(consoleRoutes, { auth });
      await scope.register(agentApi, { auth });
      // insights for editors and admins (issue 14): pages with their own role check, CSRF on the forms
      await scope.register(insightsRoutes, { auth });
    });
  },
  { name: 'handoff', dependencies: ['services', 'kb', 'security-headers'] },
);
