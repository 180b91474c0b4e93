// GET/POST /api/agent/presence: the agent's own presence, as the console's small control shows and sets it.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES } from './auth.js';

const State = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
const PresenceBody = Type.Object({ state: State });
const PresenceReply = Type.Object({ state: State, onlineAgents: Type.Integer() });

export default async function presenceRoutes(scope: FastifyInstance) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['agent'];
  const security = [{ agentSession: [] }];
  const config = { roles: ROLES.conversations };

  app.get('/api/agent/presence', { config, schema: { tags, security, summary: 'Your presence and how many agents are online', response: { 200: PresenceReply } } }, async (request) => {
    const agentId = request.agentSession!.agent.id;
    return { state: await app.presence.stateOf(agentId), onlineAgents: await app.presence.onlineCount() };
  });

  app.post(
    '/api/agent/presence',
    { config, schema: { tags, security, summary: 'Set yourself online, away or offline', body: PresenceBody, response: { 200: PresenceReply } } },
    async (request) => {
      const agentId = request.agentSession!.agent.id;
      await app.presence.choose(agentId, request.body.state);
      return { state: await app.presence.stateOf(agentId), onlineAgents: await app.presence.onlineCount() };
    },
  );
}
