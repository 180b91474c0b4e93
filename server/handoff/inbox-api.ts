// The agent's daily tools (issue 13): inbox views and search, transfer to a colleague, an article sent as a card,
// canned replies (admins keep them, agents use them) and the console language. Registered inside the agent API's
// scope, so the session, role and CSRF hooks of api.ts apply to every route here.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES } from './auth.js';
import { AgentMessage, ConversationSummary, Problem, QueueItem, toAgentMessage, toSummary, type Lookups } from './agent-json.js';
import { HandoffError } from './service.js';
import { queueItems } from './queue-items.js';
import { INBOX_VIEWS, InboxRepository, type InboxView } from '../store/inbox.js';
import { CannedReplyRepository, type CannedReplyInput } from '../store/canned-replies.js';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.js';
import { articleRef } from '../kb/channel-forms.js';
import { CONSOLE_LOCALES } from './console/strings.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const ReplyParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
const CannedReply = Type.Object({ id: Type.Integer(), title: Type.String(), body: Type.String(), locale: Type.Union([Type.String(), Type.Null()]), updatedAt: Type.String({ format: 'date-time' }) });
const CannedReplyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    body: Type.String({ minLength: 1, maxLength: 4000, description: `plain text; placeholders: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` }),
    locale: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en'), Type.Null()], { description: 'the conversation language it is for; null or absent: any' })),
  },
  { additionalProperties: false },
);
const PAGE_MAX = 100;

export default async function inboxApi(scope: FastifyInstance, { lookups }: { lookups: () => Promise<Lookups> }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const inbox = new InboxRepository(app.store.db, app.store.dialect);
  const canned = new CannedReplyRepository(app.store.db, () => app.clock.now().toISOString());
  const tags = ['agent'];
  const security = [{ agentSession: [] }];
  const conversations = { roles: ROLES.conversations };
  const admins = { roles: ROLES.admin };

  const problem = (reply: FastifyReply, statusCode: 400 | 404 | 409, message: string) =>
    reply.code(statusCode).send({ error: statusCode === 400 ? 'Bad Request' : statusCode === 404 ? 'Not Found' : 'Conflict', message, statusCode });
  const refuse = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof HandoffError)) throw error;
    return problem(reply, error.statusCode, error.message);
  };

  app.get(
    '/api/agent/inbox',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'Conversations by view (mine, unassigned, all open, resolved), a page at a time, optionally searched',
        description:
          '`q` finds conversations whose messages (notes included) or article cards contain the text, or whose customer name, typed contact details, ' +
          'callback contact or channel identities (e-mail, phone, visitor id) do; case-insensitive. Open views list the longest waiting first, resolved the latest first.',
        querystring: Type.Object({
          view: Type.Union(INBOX_VIEWS.map((v) => Type.Literal(v)), { default: 'open' }),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 25 }),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
        }),
        response: { 200: Type.Object({ conversations: Type.Array(QueueItem), nextOffset: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as offset for the next page; null on the last' }) }) },
      },
    },
    async (request) => {
      const { view, q, limit, offset } = request.query as { view: InboxView; q?: string; limit: number; offset: number };
      const page = await inbox.page({ view, agentId: request.agentSession!.agent.id, search: q, limit, offset });
      return { conversations: await queueItems(app, page.conversations, await lookups()), nextOffset: page.more ? offset + limit : null };
    },
  );

  app.get(
    '/api/agent/agents',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'The colleagues a conversation can be transferred to (active agents and admins)',
        response: { 200: Type.Object({ agents: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) }) },
      },
    },
    async () => {
      const all = await app.agents.list();
      const handle = ROLES.conversations as readonly string[];
      return { agents: all.filter((a) => !a.disabled_at && handle.includes(a.role)).map((a) => ({ id: a.id, name: a.display_name })) };
    },
  );

  app.post(
    '/api/agent/conversations/:id/transfer',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'Hand the conversation to another agent, with a note for them',
        description: 'The note is stored as an internal note. Only the agent who has the conversation (or an admin) may transfer it; a queued one may be given to someone directly. The customer is told who is there for them now.',
        params: IdParams,
        body: Type.Object({ agentId: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }), note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ conversation: ConversationSummary }), 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const note = request.body.note.trim();
      if (!note) return problem(reply, 400, 'Write a note for your colleague.');
      const to = await app.agents.get(request.body.agentId);
      if (!to || to.disabled_at || !(ROLES.conversations as readonly string[]).includes(to.role)) return problem(reply, 400, 'That colleague cannot take conversations (unknown, disabled or an editor).');
      try {
        await app.handoff.transfer(request.params.id, request.agentSession!.agent, to, note);
      } catch (error) {
        return refuse(reply, error);
      }
      const conversation = (await app.repos.conversations.get(request.params.id))!;
      return { conversation: toSummary(conversation, await lookups(), null) };
    },
  );

  app.post(
    '/api/agent/conversations/:id/articles',
    {
      config: conversations,
      schema: {
        tags,
        security,
        summary: 'Send a knowledge-base article as a card, as the bot does',
        description: 'Web chat shows the card (title, summary, link); SMS and calls get the title, summary and link as text. `text` replaces the default lead-in.',
        params: IdParams,
        body: Type.Object({ articleId: Type.String({ minLength: 1, maxLength: 200 }), text: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ message: AgentMessage }), 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const conversation = await app.repos.conversations.get(request.params.id);
      if (!conversation) return problem(reply, 404, 'No such conversation');
      const locale = app.kb.locales().includes(conversation.locale) ? conversation.locale : app.kb.locales()[0];
      const article = app.kb.article(request.body.articleId, locale);
      if (!article) return problem(reply, 400, `No article "${request.body.articleId}" in ${locale}.`);
      try {
        const message = await app.handoff.sendArticle(conversation.id, request.agentSession!.agent, articleRef(article, app.config.publicUrl), request.body.text);
        return { message: toAgentMessage(message, conversation.locale, await lookups()) };
      } catch (error) {
        return refuse(reply, error);
      }
    },
  );

  // --- canned replies: everyone who answers customers reads them; admins write them

  app.get(
    '/api/agent/canned-replies',
    { config: conversations, schema: { tags, security, summary: 'Canned replies, by title', response: { 200: Type.Object({ replies: Type.Array(CannedReply), placeholders: Type.Array(Type.String()) }) } } },
    async () => ({ replies: await canned.list(), placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`) }),
  );

  /** The body as stored, or the reason it is refused (an unknown placeholder would reach customers verbatim). */
  function cannedInput(body: { title: string; body: string; locale?: string | null }): CannedReplyInput | string {
    const unknown = unknownPlaceholders(body.body);
    if (unknown.length) return `Unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`;
    const title = body.title.trim();
    const text = body.body.trim();
    if (!title || !text) return 'Title and text must not be empty.';
    return { title, body: text, locale: body.locale ?? null };
  }

  const cannedResponse = { 400: Problem, 404: Problem };

  app.post(
    '/api/agent/canned-replies',
    { config: admins, schema: { tags, security, summary: 'Save a canned reply (admins)', body: CannedReplyBody, response: { 201: Type.Object({ reply: CannedReply }), ...cannedResponse } } },
    async (request, reply) => {
      const input = cannedInput(request.body);
      if (typeof input === 'string') return problem(reply, 400, input);
      return reply.code(201).send({ reply: await canned.create(input, request.agentSession!.agent.id) });
    },
  );

  app.put(
    '/api/agent/canned-replies/:id',
    { config: admins, schema: { tags, security, summary: 'Change a canned reply (admins)', params: ReplyParams, body: CannedReplyBody, response: { 200: Type.Object({ reply: CannedReply }), ...cannedResponse } } },
    async (request, reply) => {
      const input = cannedInput(request.body);
      if (typeof input === 'string') return problem(reply, 400, input);
      const updated = await canned.update(request.params.id, input);
      return updated ? { reply: updated } : problem(reply, 404, 'No such canned reply');
    },
  );

  app.delete(
    '/api/agent/canned-replies/:id',
    { config: admins, schema: { tags, security, summary: 'Delete a canned reply (admins)', params: ReplyParams, response: { 204: Type.Null(), 404: Problem } } },
    async (request, reply) => ((await canned.delete(request.params.id)) ? reply.code(204).send(null) : problem(reply, 404, 'No such canned reply')),
  );

  // --- the agent's own settings

  app.patch(
    '/api/agent/me',
    {
      config: { roles: ROLES.everyone },
      schema: {
        tags,
        security,
        summary: "Change your own settings: the console's language",
        body: Type.Object({ locale: Type.Union(CONSOLE_LOCALES.map((l) => Type.Literal(l))) }, { additionalProperties: false }),
        response: { 200: Type.Object({ locale: Type.String() }) },
      },
    },
    async (request) => {
      await app.agents.setLocale(request.agentSession!.agent.id, request.body.locale);
      return { locale: request.body.locale };
    },
  );
}
