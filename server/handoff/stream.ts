// GET /api/agent/stream (WebSocket): what the console needs to stay live without polling. Every conversation
// event on the bus goes to every logged-in agent: messages (with internal notes, as agents see them) and
// status changes (the console reloads the queue on those). The session cookie authenticates the handshake;
// the Origin must be ours, and the socket closes when the session expires or ends (logout, password reset,
// disabled agent, role change). Only roles that handle conversations may connect.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { ROLES, type AgentAuth } from './auth.js';
import { toAgentMessage } from './agent-json.js';
import type { ConversationEvent } from '../events/bus.js';
import { CONNECTION_REFRESH_MS } from './presence.js';

/** How often live console sockets re-check their session (ended elsewhere: another process, the CLI). */
export const SESSION_RECHECK_MS = 15_000;

/** typing signals from one socket are passed on at most this often */
const TYPING_EVERY_MS = 2_000;

export default async function agentStream(app: FastifyInstance, { auth }: { auth: AgentAuth }) {
  // One bus subscription for all agent sockets: each event is turned into its console form once, then fanned out.
  const sockets = new Set<(payload: string) => void>();

  async function consoleForm(event: ConversationEvent): Promise<unknown> {
    if (event.type === 'delivery') {
      return { type: 'delivery', conversationId: event.conversationId, messageId: event.messageId, state: event.state, error: event.error };
    }
    if (event.type === 'rating') return { type: 'rating', conversationId: event.conversationId, rating: event.rating };
    if (event.type === 'typing') return { type: 'typing', conversationId: event.conversationId };
    if (event.type === 'status') {
      return { type: 'status', conversationId: event.conversationId, status: event.status, assignedAgentId: event.assignedAgentId ?? null, reason: event.reason ?? null };
    }
    const [conversation, names] = await Promise.all([app.repos.conversations.get(event.conversationId), app.agents.allNames()]);
    const lookups = {
      agentName: (id: number) => names.get(id),
      article: (id: string, locale: string) => {
        const article = app.kb.article(id, locale);
        return article ? { title: article.title, url: null } : undefined;
      },
    };
    return { type: 'message', conversationId: event.conversationId, status: conversation?.status ?? null, message: toAgentMessage(event.message, conversation?.locale ?? 'en', lookups) };
  }

  // in order: a status change must not overtake the message that came before it
  let fanOut = Promise.resolve();
  const unsubscribe = app.bus.subscribe('*', (event) => {
    if (sockets.size === 0) return;
    if (event.type === 'typing') {
      // the customer typing; an agent's own typing goes to the customer only
      if (event.who === 'customer') {
        const payload = JSON.stringify({ type: 'typing', conversationId: event.conversationId });
        for (const send of sockets) send(payload);
      }
      return;
    }
    fanOut = fanOut
      .then(async () => {
        const payload = JSON.stringify(await consoleForm(event));
        for (const send of sockets) send(payload);
      })
      .catch((error) => app.log.error({ err: error }, 'agent stream: could not send an event'));
  });
  app.addHook('onClose', async () => unsubscribe());

  // A session ended in another process (`npm run agent:add -- --reset-password`, another instance) has no
  // listener here: every socket's session is looked up again now and then, and its socket closed when gone.
  const liveSessions = new Map<WebSocket, string>();
  const recheck = setInterval(() => {
    for (const [socket, sessionKey] of liveSessions) {
      auth
        .sessionAlive(sessionKey)
        .then((alive) => alive || socket.close(4401, 'session ended'))
        .catch((error) => app.log.warn({ err: error }, 'agent stream: could not re-check a session'));
    }
  }, SESSION_RECHECK_MS);
  recheck.unref();
  app.addHook('onClose', async () => clearInterval(recheck));

  // presence: this instance's open console sockets are refreshed in the shared store while open
  const presenceConnections = new Set<string>();
  const refresh = setInterval(() => {
    app.presence.stillConnected([...presenceConnections]).catch((error) => app.log.warn({ err: error }, 'agent stream: could not refresh presence'));
  }, CONNECTION_REFRESH_MS);
  refresh.unref();
  app.addHook('onClose', async () => {
    clearInterval(refresh);
    await Promise.all([...presenceConnections].map((id) => app.presence.disconnected(id).catch(() => {})));
  });

  app.get(
    '/api/agent/stream',
    {
      websocket: true,
      schema: { hide: true },
      // every conversation's messages travel here: for those who handle conversations
      config: { roles: ROLES.conversations },
      preValidation: async (request, reply) => {
        if (!auth.sameOrigin(request)) return reply.code(403).send({ error: 'Forbidden', message: 'Cross-site WebSocket refused.', statusCode: 403 });
      },
    },
    (socket, request) => {
      const session = request.agentSession!;
      const send = (payload: string) => {
        if (socket.readyState === socket.OPEN) socket.send(payload);
      };
      sockets.add(send);
      const expiresIn = Date.parse(session.expiresAt) - app.clock.now().getTime();
      const expiry = setTimeout(() => socket.close(4401, 'session expired'), Math.max(0, Math.min(expiresIn, 2 ** 31 - 1)));
      const sessionKey = auth.sessionKey(request);
      // ended sessions come over the bus: a logout, reset or disable on another instance closes this socket too
      const stopWatchingSession = app.bus.onSessionsEnded((ended) => sessionKey !== undefined && ended.includes(sessionKey) && socket.close(4401, 'session ended'));
      if (sessionKey) liveSessions.set(socket, sessionKey);
      // the agent is present while a console is open; activity (typing, clicking) keeps them from going away
      const agentId = session.agent.id;
      const connection = app.presence.connected(agentId).then((id) => {
        presenceConnections.add(id);
        return id;
      });
      connection.catch((error) => app.log.error({ err: error }, 'agent stream: could not record presence'));
      let lastTyping = 0;
      socket.on('message', (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          return;
        }
        if ((parsed as { type?: unknown })?.type === 'active') app.presence.active(agentId).catch((error) => app.log.warn({ err: error }, 'agent stream: could not record activity'));
        const typingIn = (parsed as { type?: unknown; conversationId?: unknown })?.type === 'typing' ? (parsed as { conversationId?: unknown }).conversationId : undefined;
        if (typeof typingIn === 'string' && typingIn.length <= 100 && Date.now() - lastTyping >= TYPING_EVERY_MS) {
          lastTyping = Date.now();
          // only the agent the conversation is assigned to: the customer is told who is typing
          void app.repos.conversations
            .get(typingIn)
            .then((conversation) => {
              if (conversation?.status === 'assigned' && conversation.assigned_agent_id === agentId) {
                app.bus.publish({ type: 'typing', conversationId: typingIn, who: 'agent', agentName: session.agent.display_name });
              }
            })
            .catch((error) => app.log.warn({ err: error }, 'agent stream: could not pass on typing'));
        }
      });
      socket.on('close', () => {
        connection
          .then((id) => {
            presenceConnections.delete(id);
            return app.presence.disconnected(id);
          })
          .catch((error) => app.log.warn({ err: error }, 'agent stream: could not record a closed console'));
        clearTimeout(expiry);
        stopWatchingSession();
        sockets.delete(send);
        liveSessions.delete(socket);
      });
      send(JSON.stringify({ type: 'hello', agentId: session.agent.id }));
    },
  );
}
