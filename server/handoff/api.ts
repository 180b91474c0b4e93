// The agent JSON API under /api/agent: the queue, a conversation with everything around it, and the actions
// (claim, reply, note, hand back, resolve), plus KB search for canned answers. Every route needs a session
// (401 otherwise), a role its `config.roles` lists (403 otherwise) and, for a POST, the session's CSRF token
// (403 otherwise): the hooks sit on the whole scope, and a route that names no roles does not even start.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Agent, Conversation } from '../store/schema.js';
import type { Message } from '../store/conversations.js';
import { ROLES, type AgentAuth } from './auth.js';
import { AgentMessage, ConversationDetail, ConversationSummary, Me, Problem, QueueItem, toAgentMessage, toEscalation, toSummary, type Lookups } from './agent-json.js';
import { HandoffError, type EscalationRecord } from './service.js';
import agentStream from './stream.js';
import adminApi from './admin-api.js';
import learnedApi from '../kb/learned-api.js';
import inboxApi from './inbox-api.js';
import { queueItems } from './queue-items.js';
import { consoleLocale } from './console/strings.js';
import presenceRoutes from './presence-routes.js';
import agentAttachmentRoutes from '../attachments/agent-routes.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const TextBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) });
const MAX_QUEUE = 200;

export default async function agentApi(scope: FastifyInstance, { auth }: { auth: AgentAuth }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRoute', (route) => {
    if (!route.config?.roles) throw new Error(`${route.method} ${route.url} must say which roles may call it (config.roles)`);
  });
  app.addHook('onRequest', auth.requireApiSession);
  app.addHook('onRequest', auth.requireRole);
  app.addHook('preValidation', auth.requireCsrf);

  /** Names and titles the JSON needs, loaded once per request. */
  async function lookups(seenArticles: Map<string, { title: string; url: string }> = new Map()): Promise<Lookups> {
    const names = await app.agents.allNames();
    return {
      agentName: (id) => names.get(id),
      article: (id, locale) => {
        const seen = seenArticles.get(id);
        if (seen) return seen;
        const article = app.kb.article(id, locale);
        return article ? { title: article.title, url: null } : undefined;
      },
    };
  }

  function refuse(reply: FastifyReply, error: unknown) {
    if (!(error instanceof HandoffError)) throw error;
    return reply.code(error.statusCode).send({
      error: error.statusCode === 404 ? 'Not Found' : 'Conflict',
      message: error.message,
      statusCode: error.statusCode,
      ...(error.assignedAgent ? { assignedAgent: error.assignedAgent } : {}),
    });
  }

  async function summaries(conversations: Conversation[], names: Lookups) {
    const first = await app.repos.conversations.firstCustomerMessages(conversations.map((c) => c.id));
    return conversations.map((c) => toSummary(c, names, first.get(c.id) ?? null));
  }

  const tags = ['agent'];
  const security = [{ agentSession: [] }];
  const conversations = { roles: ROLES.conversations };

  app.get('/api/agent/me', { config: { roles: ROLES.everyone }, schema: { tags, security, summary: 'The logged-in agent and the CSRF token for this session', response: { 200: Me } } }, async (request) => {
    const { agent, csrfToken, expiresAt } = request.agentSession!;
    return { id: agent.id, login: agent.login, name: agent.display_name, role: agent.role, csrfToken, locale: consoleLocale(agent.locale), sessionExpiresAt: expiresAt };
  });

  app.get(
    '/api/agent/queue',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'Conversations waiting for a person (oldest first), then those assigned to agents',
        response: { 200: Type.Object({ conversations: Type.Array(QueueItem) }) },
      },
    },
    async () => {
      const open = (await app.repos.conversations.listByStatus(['queued', 'assigned'])).slice(0, MAX_QUEUE);
      open.sort((a, b) => (a.status === b.status ? 0 : a.status === 'queued' ? -1 : 1));
      return { conversations: await queueItems(app, open, await lookups()) };
    },
  );

  app.get(
    '/api/agent/conversations/:id',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: "A conversation: the whole transcript with the bot's turns and internal notes, the escalation, the customer and their other conversations",
        params: IdParams,
        response: { 200: ConversationDetail, 404: Problem },
      },
    },
    async (request, reply) => {
      const conversation = await app.repos.conversations.get(request.params.id);
      if (!conversation) return refuse(reply, new HandoffError(404, 'No such conversation', 'not_found'));
      const [messages, customer, all, deliveries] = await Promise.all([
        app.repos.conversations.messages(conversation.id, { includeInternal: true }),
        app.repos.customers.get(conversation.customer_id),
        app.repos.conversations.listByCustomer(conversation.customer_id),
        app.outbox.repo.forConversation(conversation.id),
      ]);
      const seenArticles = new Map<string, { title: string; url: string }>();
      for (const message of messages) {
        for (const article of ((message.payload?.articles as any[]) ?? [])) seenArticles.set(String(article.id), { title: String(article.title), url: String(article.url ?? '') });
      }
      const names = await lookups(seenArticles);
      const latestEscalation = messages.filter((m) => m.payload?.escalation).at(-1)?.payload?.escalation as EscalationRecord | undefined;
      const others = all.filter((c) => c.id !== conversation.id);
      const [summary] = await summaries([conversation], names);
      return {
        conversation: summary,
        customer: { id: conversation.customer_id, name: customer?.display_name ?? null, identities: customer?.identities ?? [] },
        escalation: latestEscalation ? toEscalation(latestEscalation, conversation.locale, names) : null,
        messages: messages.map((m) => toAgentMessage(m, conversation.locale, names, deliveries.get(m.id))),
        otherConversations: await summaries(others, names),
      };
    },
  );

  const action = (summary: string, description?: string) => ({
    tags,
    security,
    summary,
    ...(description ? { description } : {}),
    params: IdParams,
    response: { 200: Type.Object({ conversation: ConversationSummary }), 404: Problem, 409: Problem },
  });

  /** A handler that acts on the conversation as the agent, then answers with its new summary (or the refusal). */
  function changeStatus(act: (conversationId: string, agent: Agent) => Promise<unknown>) {
    return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      try {
        await act(request.params.id, request.agentSession!.agent);
      } catch (error) {
        return refuse(reply, error);
      }
      const [summary] = await summaries([(await app.repos.conversations.get(request.params.id))!], await lookups());
      return { conversation: summary };
    };
  }

  app.post(
    '/api/agent/conversations/:id/claim',
    { config: conversations, schema: action('Claim a queued conversation', 'Atomic: when two agents claim at once, one gets 200 and the other 409 naming who has it.') },
    changeStatus((id, agent) => app.handoff.claim(id, agent)),
  );

  app.post(
    '/api/agent/conversations/:id/hand-back',
    { config: conversations, schema: action('Give the conversation back to the bot') },
    changeStatus((id, agent) => app.handoff.handBack(id, agent)),
  );

  app.post(
    '/api/agent/conversations/:id/resolve',
    { config: conversations, schema: action('Resolve (close) the conversation', 'The customer is told and asked for a rating; a later message of theirs starts a new conversation.') },
    changeStatus((id, agent) => app.handoff.resolve(id, agent)),
  );

  const messageResponse = { 200: Type.Object({ message: AgentMessage }), 400: Problem, 404: Problem, 409: Problem };

  /** A handler that writes the agent's text to the conversation (reply or note) and answers with the stored message. */
  function write(whenEmpty: string, store: (conversationId: string, agent: Agent, text: string) => Promise<Message>) {
    return async (request: FastifyRequest<{ Params: { id: string }; Body: { text: string } }>, reply: FastifyReply) => {
      const text = request.body.text.trim();
      if (!text) return reply.code(400).send({ error: 'Bad Request', message: whenEmpty, statusCode: 400 });
      try {
        const message = await store(request.params.id, request.agentSession!.agent, text);
        const conversation = (await app.repos.conversations.get(request.params.id))!;
        return { message: toAgentMessage(message, conversation.locale, await lookups()) };
      } catch (error) {
        return refuse(reply, error);
      }
    };
  }

  app.post(
    '/api/agent/conversations/:id/reply',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'Answer the customer (stored, then delivered on their channel)',
        description: 'Only the agent the conversation is assigned to may reply.',
        params: IdParams,
        body: TextBody,
        response: messageResponse,
      },
    },
    write('The reply is empty.', (id, agent, text) => app.handoff.reply(id, agent, text)),
  );

  app.post(
    '/api/agent/conversations/:id/notes',
    { config: conversations, schema: { tags, security, summary: 'Add an internal note (never shown to the customer)', params: IdParams, body: TextBody, response: messageResponse } },
    write('The note is empty.', (id, agent, text) => app.handoff.note(id, agent, text)),
  );

  app.get(
    '/api/agent/kb/search',
    {
      config: { roles: ROLES.knowledgeBase },
      schema: {
        tags,
        security,
        summary: 'Search the knowledge base for an article to send (title, summary, link)',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 500 }), locale: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: {
          200: Type.Object({ hits: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), summary: Type.String(), url: Type.String() })) }),
        },
      },
    },
    async (request) => {
      const locales = app.kb.locales();
      const locale = request.query.locale && locales.includes(request.query.locale) ? request.query.locale : locales[0];
      const { hits } = await app.kb.search(request.query.q, locale, { limit: 8 });
      return { hits: hits.map((hit) => ({ id: hit.id, title: hit.title, summary: hit.summary, url: hit.url })) };
    },
  );

  await app.register(agentStream, { auth });
  await app.register(adminApi, { auth });
  await app.register(learnedApi);
  await app.register(inboxApi, { lookups });
  await app.register(presenceRoutes);
  // issue 13: attachments (their own scope: it takes raw uploads)
  await app.register(agentAttachmentRoutes);
}
