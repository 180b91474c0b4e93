// GET /api/agent/stream (WebSocket): what the console needs to stay live without polling. Every conversation
// event on the bus goes to every logged-in agent: messages (with internal notes, as agents see them) and
// status changes (the console reloads the queue on those). The session cookie authenticates the handshake;
// the Origin must be ours, and the socket closes when the session expires or logs out.
import type { FastifyInstance } from 'fastify';
import type { AgentAuth } from './auth.js';
import { toAgentMessage } from './agent-json.js';

export default async function agentStream(app: FastifyInstance, { auth }: { auth: AgentAuth }) {
  app.get(
    '/api/agent/stream',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request, reply) => {
        if (!auth.sameOrigin(request)) return reply.code(403).send({ error: 'Forbidden', message: 'Cross-site WebSocket refused.', statusCode: 403 });
      },
    },
    (socket, request) => {
      const session = request.agentSession!;
      const send = (data: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(data));
      };
      const unsubscribe = app.bus.subscribe('*', (event) => {
        if (event.type === 'status') {
          send({ type: 'status', conversationId: event.conversationId, status: event.status, assignedAgentId: event.assignedAgentId ?? null, reason: event.reason ?? null });
          return;
        }
        void (async () => {
          const [conversation, names] = await Promise.all([app.repos.conversations.get(event.conversationId), app.agents.allNames()]);
          const lookups = {
            agentName: (id: number) => names.get(id),
            article: (id: string, locale: string) => {
              const article = app.kb.article(id, locale);
              return article ? { title: article.title, url: null } : undefined;
            },
          };
          send({ type: 'message', conversationId: event.conversationId, status: conversation?.status ?? null, message: toAgentMessage(event.message, conversation?.locale ?? 'en', lookups) });
        })().catch((error) => request.log.error({ err: error }, 'agent stream: could not send an event'));
      });
      const expiresIn = Date.parse(session.expiresAt) - app.clock.now().getTime();
      const expiry = setTimeout(() => socket.close(4401, 'session expired'), Math.max(0, Math.min(expiresIn, 2 ** 31 - 1)));
      const sessionKey = auth.sessionKey(request);
      const stopWatchingLogout = auth.onLogout((loggedOut) => loggedOut === sessionKey && socket.close(4401, 'logged out'));
      socket.on('close', () => {
        clearTimeout(expiry);
        stopWatchingLogout();
        unsubscribe();
      });
      send({ type: 'hello', agentId: session.agent.id });
    },
  );
}
