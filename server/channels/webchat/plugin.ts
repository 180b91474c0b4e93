// The web chat API: start a conversation, send a message or press a button, read the history,
// and a WebSocket for live messages and status. Used by the widget and by anyone's own front end.
// A conversation is reachable only with its token; a wrong token and an unknown id look the same.
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { Conversation } from '../../store/schema.js';
import { DuplicateMessageError, type Message } from '../../store/conversations.js';
import { verifyUser } from './identity.js';
import type { ConversationEvent } from '../../events/bus.js';
import { WEB_CHANNEL } from './webchat-adapter.js';
import { webDelivery } from '../../handoff/delivery.js';
import { ChatMessage, customerVisible, toChatMessage } from './messages.js';
import { newToken, tokenMatches } from './tokens.js';
import { CustomerSockets } from './customer-sockets.js';
import { ResumeTokens } from '../email/resume-tokens.js';
import { ConversationRateLimit } from './conversation-limit.js';
import { AttachmentRepository } from '../../attachments/repository.js';
import { AttachmentJson, AttachmentParams, UploadHeaders, acceptRawUploads, readUpload, sendAttachment } from '../../attachments/http.js';
import { rateLimitStore } from '../../limits/window-counter.js';

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() });
const Status = Type.Union([Type.Literal('bot'), Type.Literal('queued'), Type.Literal('assigned'), Type.Literal('resolved')]);
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Authorization = Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <token from POST /api/chat/conversations>' })) });
const ACTION_PATTERN = '^[a-z_]+(:[A-Za-z0-9_.-]{1,200})?$';
const CLIENT_MESSAGE_ID = Type.String({
  pattern: '^[A-Za-z0-9_-]{8,64}$',
  description:
    'optional, 8-64 letters, digits, "-" or "_" (a UUID fits): your id for this message. Send the same id again when you retry; ' +
    'a message already stored under it is answered with what was stored (and the bot\'s replies that followed), not stored twice.',
});

function fail(reply: FastifyReply, statusCode: number, error: string, message: string) {
  return reply.code(statusCode).send({ error, message, statusCode });
}

const NOT_FOUND = 'No conversation with this id and token.';
const LINK_EXPIRED = 'This link from an e-mail has expired and no longer opens the conversation. Start a new one with POST /api/chat/conversations (send your visitorId).';

declare module 'fastify' {
  interface FastifyInstance {
    /** issue 13 (email): the widget sockets open per conversation, and when each customer was last seen */
    customerSockets: CustomerSockets;
  }
}

export default fp(
  async (app) => {
    // the turn machinery (customer, conversation, bot turn in order) is every channel's: app.inbound
    const adapter = app.inbound.adapter(WEB_CHANNEL);
    // agent and handoff messages reach the widget through the bus (the stream below): no delivery state
    app.deliveries.register(WEB_CHANNEL, webDelivery);
    // issue 13 (email): who is still connected, and the links in reply e-mails
    app.decorate('customerSockets', new CustomerSockets(app.store.db, () => app.clock.now()));
    const resumeTokens = new ResumeTokens(app.store.db, () => app.clock.now());
    // keeps proxies from closing idle sockets and marks their customers as still here: one sweep for all of
    // them, no timer per socket (10,000 sockets), one UPDATE per 500 conversations
    const pinged = new Map<import('ws').WebSocket, string>();
    const pingSweep = setInterval(() => {
      const present = new Set<string>();
      for (const [socket, conversationId] of pinged) {
        if (socket.readyState !== socket.OPEN) continue;
        socket.ping();
        present.add(conversationId);
      }
      if (present.size) void app.customerSockets.seenAll([...present]).catch((err) => app.log.warn({ err }, 'chat stream: could not record customers as seen'));
    }, 30_000);
    pingSweep.unref();
    app.addHook('onClose', async () => clearInterval(pingSweep));
    const perConversation = new ConversationRateLimit(app.config.chat.messagesPerMinute, app.windowCounter);

    /** The conversation a request may use: 401 without a token, 404 for a wrong token or unknown id, 410 for an expired e-mail link. */
    async function authorised(request: FastifyRequest, reply: FastifyReply, token: string | undefined): Promise<Conversation | undefined> {
      if (!token) {
        fail(reply, 401, 'Unauthorized', 'This conversation needs its token: Authorization: Bearer <token>.');
        return undefined;
      }
      const conversation = await app.repos.conversations.get((request.params as { id: string }).id);
      if (!conversation || conversation.channel !== WEB_CHANNEL) {
        fail(reply, 404, 'Not Found', NOT_FOUND);
        return undefined;
      }
      if (tokenMatches(token, conversation.token_hash)) return conversation;
      // the resume token of a reply e-mail's link (which opens this conversation only, for RESUME_LINK_DAYS)
      const resume = await resumeTokens.state(conversation.id, token);
      if (resume === 'opens') return conversation;
      if (resume === 'expired') fail(reply, 410, 'Gone', LINK_EXPIRED);
      else fail(reply, 404, 'Not Found', NOT_FOUND);
      return undefined;
    }

    function bearer(request: FastifyRequest): string | undefined {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      return match?.[1];
    }

    function pickLocale(requested: string | undefined, acceptLanguage: string | undefined): { locale: string; given: boolean; hint?: string } {
      const locales = app.kb.locales();
      const supported = (l: string | undefined) => (l ? (locales.find((x) => x === l) ?? locales.find((x) => x === l.slice(0, 2).toLowerCase())) : undefined);
      const given = supported(requested);
      if (given) return { locale: given, given: true };
      const fromHeader = (acceptLanguage ?? '')
        .split(',')
        .map((part) => part.split(';')[0].trim())
        .map(supported)
        .find(Boolean);
      return { locale: fromHeader ?? locales[0] ?? 'en', given: false, hint: fromHeader };
    }

    /** A retried message: what was stored under its client id, with the bot's and system's replies that followed it. */
    async function storedTurn(stored: Message): Promise<{ received: ChatMessage; messages: ChatMessage[] }> {
      // a retry while the first copy's turn still runs here waits for its replies
      await adapter.settled(stored.conversationId);
      const after = await app.repos.conversations.messages(stored.conversationId, { afterSeq: stored.seq });
      const nextCustomer = after.findIndex((m) => m.author === 'customer');
      const replies = (nextCustomer < 0 ? after : after.slice(0, nextCustomer)).filter((m) => m.author === 'bot' || m.author === 'system');
      return { received: toChatMessage(stored), messages: customerVisible(replies) };
    }

    /**
     * The customer a new web conversation belongs to, found only through verified identities: the host site's
     * signed user id when given (the browser's visitor id is linked to it only when it is nobody else's), else
     * the visitor id itself. A refused signature comes back as the reason.
     */
    async function customerOf(visitorId: string, user: { id: string; hash: string } | undefined): Promise<string | { statusCode: 400 | 403; message: string }> {
      const web = { kind: 'web' as const, value: visitorId };
      if (!user) return app.inbound.identify([web]);
      const verification = verifyUser(app.config.identityVerificationSecret, user);
      if (!verification.verified) return verification;
      const customerId = await app.inbound.identify([{ kind: 'user', value: verification.userId }]);
      await app.repos.customers.link(customerId, [web]);
      return customerId;
    }

    /** The label of the button the customer pressed, from the bot's recent messages, so the transcript reads naturally. */
    async function labelOf(conversationId: string, action: string, lastSeq: number): Promise<string | undefined> {
      const recent = await app.repos.conversations.messages(conversationId, { afterSeq: Math.max(0, lastSeq - 20) });
      for (const message of recent.reverse()) {
        const payload = (message.payload ?? {}) as { suggestions?: Array<{ label: string; action: string }>; quickReplies?: Array<{ label: string; action: string }> };
        const found = [...(payload.suggestions ?? []), ...(payload.quickReplies ?? [])].find((o) => o.action === action);
        if (found) return found.label;
      }
      return undefined;
    }

    await app.register(async (chat: FastifyInstance<any, any, any, any, TypeBoxTypeProvider>) => {
      // The widget runs on other companies' sites: any origin may call, with the token (no cookies).
      chat.addHook('onRequest', async (request, reply) => {
        reply.header('access-control-allow-origin', '*');
      });
      chat.options('/api/chat/*', { schema: { hide: true } as any, config: { rateLimit: false } }, async (_request, reply) => {
        reply
          .header('access-control-allow-methods', 'GET, POST, OPTIONS')
          .header('access-control-allow-headers', 'authorization, content-type, x-file-name')
          .header('access-control-max-age', '86400')
          .code(204)
          .send();
      });
      await chat.register(rateLimit, {
        global: true,
        max: app.config.chat.requestsPerMinutePerIp,
        timeWindow: 60_000,
        store: rateLimitStore(app.windowCounter, 'chat'),
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `Too many requests from your address; try again in ${context.after}.`,
        }),
      });

      chat.post(
        '/api/chat/conversations',
        {
          schema: {
            tags: ['chat'],
            summary: 'Start a conversation',
            description:
              'Creates a conversation and returns its token (keep it: it is the only way back in) and the bot\'s greeting. ' +
              '`customer` details are kept on the conversation as unverified claims for the agent; they never link the chat to a customer record. ' +
              '`user` (the host site\'s signed-in user, signed with IDENTITY_VERIFICATION_SECRET) links it to that user\'s record.',
            body: Type.Object(
              {
                locale: Type.Optional(Type.String({ maxLength: 20, description: 'e.g. "de" or "en"; else Accept-Language, then detected from the text' })),
                visitorId: Type.Optional(Type.String({ minLength: 8, maxLength: 100, description: 'the id returned by an earlier call, so the customer is recognised' })),
                user: Type.Optional(
                  Type.Object(
                    {
                      id: Type.String({ minLength: 1, maxLength: 200, description: 'the host site\'s id of its signed-in user' }),
                      hash: Type.String({ maxLength: 128, description: 'hex HMAC-SHA256 of id with IDENTITY_VERIFICATION_SECRET, computed by the site\'s server' }),
                    },
                    { additionalProperties: false, description: 'a signed-in user of the host site; a wrong hash is 403' },
                  ),
                ),
                pageUrl: Type.Optional(
                  Type.String({ maxLength: 500, pattern: '^https?://', description: 'the page the customer writes from (the widget sends location.href): shown to agents, unverified' }),
                ),
                customer: Type.Optional(
                  Type.Object(
                    {
                      name: Type.Optional(Type.String({ maxLength: 200 })),
                      email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
                      phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()./-]{6,30}$' })),
                    },
                    { additionalProperties: false, description: 'what the customer typed: shown to agents as unverified' },
                  ),
                ),
              },
              { additionalProperties: false },
            ),
            response: {
              201: Type.Object({
                conversationId: Type.String(),
                token: Type.String({ description: 'send as Authorization: Bearer <token>, or ?token= on the stream' }),
                visitorId: Type.String({ description: 'keep it (e.g. localStorage) and send it next time' }),
                locale: Type.String(),
                messages: Type.Array(ChatMessage),
              }),
              400: ErrorReply,
              403: ErrorReply,
              429: ErrorReply,
            },
          },
        },
        async (request, reply) => {
          const body = request.body ?? {};
          const visitorId = body.visitorId ?? randomUUID();
          const customerId = await customerOf(visitorId, body.user);
          if (typeof customerId !== 'string') return fail(reply, customerId.statusCode, customerId.statusCode === 403 ? 'Forbidden' : 'Bad Request', customerId.message);
          const { locale, given, hint } = pickLocale(body.locale, request.headers['accept-language']);
          const { token, hash } = newToken();
          const claims = { name: body.customer?.name?.trim(), email: body.customer?.email?.trim(), phone: body.customer?.phone?.trim() };
          const conversation = await app.inbound.open({ customerId, channel: WEB_CHANNEL, locale, tokenHash: hash, claims, pageUrl: body.pageUrl ?? null });
          const { replies } = await app.inbound.greet(conversation, { locale: given ? locale : undefined, localeHint: hint, customerName: body.customer?.name ?? '' });
          return reply.code(201).send({ conversationId: conversation.id, token, visitorId, locale, messages: customerVisible(replies) });
        },
      );

      chat.post(
        '/api/chat/conversations/:id/messages',
        {
          schema: {
            tags: ['chat'],
            summary: 'Send a message or press a button',
            description:
              'Body is { text } (at most CHAT_MAX_TEXT_LENGTH characters, else 413) or { action } (the action of a quick reply or suggestion). ' +
              'Returns the stored customer message and the bot\'s replies (empty while a person has the conversation). ' +
              'With clientMessageId a retry of a message that was stored returns that message and its replies again instead of storing it twice.',
            params: IdParams,
            headers: Authorization,
            body: Type.Object(
              { text: Type.Optional(Type.String()), action: Type.Optional(Type.String({ pattern: ACTION_PATTERN })), clientMessageId: Type.Optional(CLIENT_MESSAGE_ID) },
              { additionalProperties: false },
            ),
            response: {
              200: Type.Object({ received: ChatMessage, messages: Type.Array(ChatMessage) }),
              400: ErrorReply,
              401: ErrorReply,
              404: ErrorReply,
              410: ErrorReply,
              409: ErrorReply,
              413: ErrorReply,
              429: ErrorReply,
            },
          },
        },
        async (request, reply) => {
          const conversation = await authorised(request, reply, bearer(request));
          if (!conversation) return reply;
          const { text, action, clientMessageId } = request.body;
          if ((text === undefined) === (action === undefined)) return fail(reply, 400, 'Bad Request', 'Send either { text } or { action }.');
          // a retry of a stored message is answered before the limits and the resolved check: it adds nothing
          if (clientMessageId !== undefined) {
            const stored = await app.repos.conversations.messageByExternalId(conversation.id, clientMessageId);
            if (stored) return storedTurn(stored);
          }
          if (text !== undefined && text.trim() === '') return fail(reply, 400, 'Bad Request', 'The message is empty.');
          const maxLength = app.config.chat.maxTextLength;
          if (text !== undefined && text.length > maxLength) {
            return fail(reply, 413, 'Payload Too Large', `The message is ${text.length} characters long; at most ${maxLength} are allowed.`);
          }
          if (conversation.status === 'resolved') {
            return fail(reply, 409, 'Conflict', 'This conversation is closed. Start a new one with POST /api/chat/conversations (send your visitorId).');
          }
          const retryAfter = await perConversation.take(conversation.id);
          if (retryAfter > 0) {
            reply.header('retry-after', String(retryAfter));
            return fail(reply, 429, 'Too Many Requests', `Too many messages in this conversation; try again in ${retryAfter} seconds.`);
          }
          const shownText = action !== undefined ? ((await labelOf(conversation.id, action, conversation.last_seq)) ?? action) : text!.trim();
          let turn;
          try {
            // the client message id is stored as the message's external id
            turn = await app.inbound.receive(conversation, { text: shownText, action, externalId: clientMessageId });
          } catch (error) {
            // the same message raced in twice: the unique index let one through; answer with its turn
            if (!(error instanceof DuplicateMessageError)) throw error;
            const stored = await app.repos.conversations.messageByExternalId(conversation.id, error.externalId);
            if (!stored) throw error;
            return storedTurn(stored);
          }
          return { received: toChatMessage(turn.received!), messages: customerVisible(turn.replies) };
        },
      );

      chat.get(
        '/api/chat/conversations/:id/messages',
        {
          schema: {
            tags: ['chat'],
            summary: 'Read the conversation (for clients without WebSocket)',
            params: IdParams,
            headers: Authorization,
            querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, description: 'only messages with a higher seq' })) }),
            response: {
              200: Type.Object({ status: Status, messages: Type.Array(ChatMessage) }),
              401: ErrorReply,
              404: ErrorReply,
              410: ErrorReply,
              429: ErrorReply,
            },
          },
        },
        async (request, reply) => {
          const conversation = await authorised(request, reply, bearer(request));
          if (!conversation) return reply;
          const messages = await app.repos.conversations.messages(conversation.id, { afterSeq: request.query.after ?? 0 });
          return { status: conversation.status, messages: customerVisible(messages) };
        },
      );

      // --- attachments (issue 13): the customer uploads an image or PDF as the raw body; it becomes a message
      // of theirs (stored, then published, so the agent sees it live). The bot does not answer a file.
      const attachments = new AttachmentRepository(app.store.db, () => app.clock.now().toISOString());
      await chat.register(async (uploads) => {
        acceptRawUploads(uploads);
        uploads.post(
          '/api/chat/conversations/:id/attachments',
          {
            bodyLimit: app.config.attachmentMaxBytes,
            schema: {
              tags: ['chat'],
              summary: 'Attach an image or PDF',
              description:
                'Raw body (Content-Type: application/octet-stream), file name URL-encoded in X-File-Name. The type is detected from the content: ' +
                'PNG, JPEG, GIF, WebP or PDF; anything else (HTML, SVG, scripts, …) is 415, more than ATTACHMENT_MAX_BYTES is 413. ' +
                'Stored as a customer message with `attachments`; GET the url with the conversation token.',
              params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
              headers: Type.Composite([Authorization, UploadHeaders]),
              response: { 201: Type.Object({ received: ChatMessage, attachment: AttachmentJson }), 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 410: ErrorReply, 409: ErrorReply, 413: ErrorReply, 415: ErrorReply, 429: ErrorReply },
            },
          },
          async (request, reply) => {
            const conversation = await authorised(request, reply, bearer(request));
            if (!conversation) return reply;
            const upload = readUpload(request.body, request.headers['x-file-name'] as string | undefined);
            if (!upload.ok) return fail(reply, upload.statusCode, upload.statusCode === 415 ? 'Unsupported Media Type' : 'Bad Request', upload.message);
            if (conversation.status === 'resolved') {
              return fail(reply, 409, 'Conflict', 'This conversation is closed. Start a new one with POST /api/chat/conversations (send your visitorId).');
            }
            const retryAfter = await perConversation.take(conversation.id);
            if (retryAfter > 0) {
              reply.header('retry-after', String(retryAfter));
              return fail(reply, 429, 'Too Many Requests', `Too many messages in this conversation; try again in ${retryAfter} seconds.`);
            }
            const { content, ...meta } = upload.ref;
            const ref = await attachments.add(conversation.id, content, meta.type as any, meta.name);
            const message = await app.transcript.append(conversation.id, { author: 'customer', text: ref.name, payload: { attachments: [ref] } });
            await attachments.linkToMessage([ref.id], message.id);
            const received = toChatMessage(message);
            return reply.code(201).send({ received, attachment: received.attachments![0] });
          },
        );
      });

      chat.get(
        '/api/chat/conversations/:id/attachments/:attachmentId',
        {
          schema: {
            tags: ['chat'],
            summary: 'Download an attachment of this conversation',
            description:
              'Needs the conversation token (Authorization: Bearer). Served with its detected type, nosniff, a sandboxing CSP; ' +
              'images inline, PDFs as a download. An attachment of another conversation is 404.',
            params: AttachmentParams,
            headers: Authorization,
            response: { 401: ErrorReply, 404: ErrorReply, 410: ErrorReply, 429: ErrorReply },
          },
        },
        async (request, reply) => {
          const conversation = await authorised(request, reply, bearer(request));
          if (!conversation) return reply;
          return sendAttachment(reply, attachments, conversation.id, request.params.attachmentId);
        },
      );
      // --- end attachments

      chat.post(
        '/api/chat/conversations/:id/rating',
        {
          schema: {
            tags: ['chat'],
            summary: 'Rate a resolved conversation (once)',
            description: 'One rating per conversation: a second one is 409 and leaves the first as it was.',
            params: IdParams,
            headers: Authorization,
            body: Type.Object({ stars: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
            response: { 204: Type.Null(), 401: ErrorReply, 404: ErrorReply, 410: ErrorReply, 409: ErrorReply, 429: ErrorReply },
          },
        },
        async (request, reply) => {
          const conversation = await authorised(request, reply, bearer(request));
          if (!conversation) return reply;
          if (conversation.status !== 'resolved') return fail(reply, 409, 'Conflict', 'A conversation can be rated once it is resolved.');
          // atomic: of two ratings sent at once, one is kept
          if (!(await app.repos.conversations.rateOnce(conversation.id, request.body.stars, request.body.comment?.trim() || null))) {
            return fail(reply, 409, 'Conflict', 'This conversation has already been rated; a rating cannot be changed.');
          }
          app.bus.publish({ type: 'rating', conversationId: conversation.id, rating: request.body.stars });
          return reply.code(204).send(null);
        },
      );

      chat.get(
        '/api/chat/conversations/:id/stream',
        {
          websocket: true,
          schema: {
            tags: ['chat'],
            summary: 'Live messages and status (WebSocket)',
            description:
              'Upgrade to a WebSocket. Server → client JSON: { type: "message", message } for every new customer, bot, agent or system message, ' +
              '{ type: "status", status } on every status change (and once on connect), { type: "typing", name } while the assigned agent types a reply. ' +
              'Client → server: { type: "typing" } while the customer types (passed on to agents at most every 2 s). With ?after=<seq> missed messages are sent first.',
            params: IdParams,
            querystring: Type.Object({ token: Type.Optional(Type.String()), after: Type.Optional(Type.Integer({ minimum: 0 })) }),
          },
          preValidation: async (request, reply) => {
            // preValidation runs before the schema: ?token=a&token=b arrives as an array, which is no token
            const token = (request.query as { token?: unknown }).token;
            const conversation = await authorised(request, reply, typeof token === 'string' ? token : undefined);
            if (conversation) (request as any).conversation = conversation;
          },
        },
        (socket, request) => {
          const conversation = (request as any).conversation as Conversation;
          const send = (event: object) => {
            if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
          };
          // Subscribe first, replay what was missed, then pass on live events: nothing falls in between.
          let lastSeq = (request.query as { after?: number }).after;
          const pending: ConversationEvent[] = [];
          let replaying = lastSeq !== undefined;
          const forward = (event: ConversationEvent) => {
            if (event.type === 'status') return send({ type: 'status', status: event.status });
            if (event.type === 'typing') return event.who === 'agent' ? send({ type: 'typing', name: event.agentName ?? null }) : undefined;
            if (event.type !== 'message') return;
            const message: Message = event.message;
            if (message.internal) return;
            if (lastSeq !== undefined && message.seq <= lastSeq) return;
            lastSeq = message.seq;
            send({ type: 'message', message: toChatMessage(message) });
          };
          const unsubscribe = app.bus.subscribe(conversation.id, (event) => (replaying ? pending.push(event) : forward(event)));
          socket.on('close', unsubscribe);
          socket.on('error', unsubscribe);
          // the customer is here: no reply e-mail while a socket is open (seen refreshed with the keep-alive)
          const seenFailed = (err: unknown) => request.log.warn({ err }, 'chat stream: could not record the customer as seen');
          void app.customerSockets.connected(conversation.id).catch(seenFailed);
          socket.on('close', () => void app.customerSockets.disconnected(conversation.id).catch(seenFailed));
          // the customer typing reaches the agents (at most every 2 s; anything else the widget sends is ignored)
          let lastTyping = 0;
          socket.on('message', (data) => {
            if (Date.now() - lastTyping < 2_000) return;
            let parsed: unknown;
            try {
              parsed = JSON.parse(String(data).slice(0, 200));
            } catch {
              return;
            }
            if ((parsed as { type?: unknown })?.type !== 'typing') return;
            lastTyping = Date.now();
            app.bus.publish({ type: 'typing', conversationId: conversation.id, who: 'customer' });
          });
          // keeps proxies from closing an idle socket
          pinged.set(socket, conversation.id);
          socket.on('close', () => pinged.delete(socket));
          void (async () => {
            const current = await app.repos.conversations.get(conversation.id);
            await app.store.durable(); // what is replayed must be committed
            send({ type: 'status', status: current?.status ?? conversation.status });
            if (replaying) {
              const missed = await app.repos.conversations.messages(conversation.id, { afterSeq: lastSeq });
              for (const message of missed) forward({ type: 'message', conversationId: conversation.id, message });
              replaying = false;
              for (const event of pending.splice(0)) forward(event);
            }
          })().catch((err) => {
            request.log.error({ err }, 'chat stream replay failed');
            socket.close(1011);
          });
        },
      );
    });
  },
  { name: 'webchat', dependencies: ['services', 'kb', 'bot'] },
);
