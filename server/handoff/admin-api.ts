// The admin API under /api/agent/admin: list, create, reset the password of, disable/enable and change the
// role of agents. Admin-only (config.roles); the agent API's scope adds the session, role and CSRF hooks.
// A password reset, a disable and a role change end all of that agent's sessions and close their live sockets.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Agent } from '../store/schema.js';
import { ROLES, type AgentAuth } from './auth.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { Problem } from './agent-json.js';

const Role = Type.Union([Type.Literal('agent'), Type.Literal('editor'), Type.Literal('admin')]);
const AgentJson = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  name: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
const AgentParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1000 });
const Changed = Type.Object({ agent: AgentJson, sessionsEnded: Type.Integer({ description: "that agent's sessions ended by this change" }) });

function toJson(agent: Agent): Static<typeof AgentJson> {
  return { id: agent.id, login: agent.login, name: agent.display_name, role: agent.role, disabled: agent.disabled_at !== null, createdAt: agent.created_at };
}

export default async function adminApi(scope: FastifyInstance, { auth }: { auth: AgentAuth }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const config = { roles: ROLES.admin };
  const tags = ['agent'];
  const security = [{ agentSession: [] }];

  const problem = (reply: FastifyReply, statusCode: 404 | 409, message: string) =>
    reply.code(statusCode).send({ error: statusCode === 404 ? 'Not Found' : 'Conflict', message, statusCode });

  /** True when the change would leave nobody who can manage agents. */
  async function removesLastAdmin(agent: Agent, change: { role?: string; disabled?: boolean }) {
    if (agent.role !== 'admin' || agent.disabled_at !== null) return false;
    const stopsBeingAdmin = change.disabled === true || (change.role !== undefined && change.role !== 'admin');
    return stopsBeingAdmin && (await app.agents.activeAdminCount()) <= 1;
  }

  /** Applies a change to an agent; a change of password, role or access ends their sessions. */
  async function change(request: FastifyRequest, reply: FastifyReply, id: number, what: { passwordHash?: string; role?: Agent['role']; disabled?: boolean }) {
    const agent = await app.agents.get(id);
    if (!agent) return problem(reply, 404, 'No such agent');
    if (await removesLastAdmin(agent, what)) return problem(reply, 409, 'This is the last admin who can log in: make another agent admin first.');
    const updated = (await app.agents.update(id, what))!;
    const endsSessions = what.passwordHash !== undefined || what.disabled === true || (what.role !== undefined && what.role !== agent.role);
    const sessionsEnded = endsSessions ? await auth.endSessionsOf(id) : 0;
    const changed = { password: what.passwordHash !== undefined || undefined, role: what.role, disabled: what.disabled };
    request.log.info({ agentId: id, changed, sessionsEnded, by: request.agentSession!.agent.id }, 'agent changed by an admin');
    return { agent: toJson(updated), sessionsEnded };
  }

  app.get(
    '/api/agent/admin/agents',
    { config, schema: { tags, security, summary: 'Every agent (admins only)', response: { 200: Type.Object({ agents: Type.Array(AgentJson) }) } } },
    async () => ({ agents: (await app.agents.list()).map(toJson) }),
  );

  app.post(
    '/api/agent/admin/agents',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Create an agent (admins only)',
        body: Type.Object({
          login: Type.String({ pattern: '^[A-Za-z0-9._@-]{2,64}$' }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          role: Role,
          password: Password,
        }),
        response: { 201: Type.Object({ agent: AgentJson }), 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const name = request.body.name.trim();
      if (!name) return reply.code(400).send({ error: 'Bad Request', message: 'The name is empty.', statusCode: 400 });
      const login = request.body.login.toLowerCase();
      const created = await app.agents.create({ login, displayName: name, passwordHash: await hashPassword(request.body.password), role: request.body.role });
      if (!created) return problem(reply, 409, `An agent "${login}" exists already.`);
      request.log.info({ agentId: created.id, role: created.role, by: request.agentSession!.agent.id }, 'agent created');
      return reply.code(201).send({ agent: toJson(created) });
    },
  );

  const changeResponse = { 200: Changed, 404: Problem, 409: Problem };

  app.post(
    '/api/agent/admin/agents/:id/password',
    {
      config,
      schema: { tags, security, summary: "Set a new password (admins only); ends all that agent's sessions", params: AgentParams, body: Type.Object({ password: Password }), response: changeResponse },
    },
    async (request, reply) => change(request, reply, request.params.id, { passwordHash: await hashPassword(request.body.password) }),
  );

  app.post(
    '/api/agent/admin/agents/:id/disable',
    { config, schema: { tags, security, summary: "Disable an agent (admins only): no login, all sessions end", params: AgentParams, response: changeResponse } },
    async (request, reply) => change(request, reply, request.params.id, { disabled: true }),
  );

  app.post(
    '/api/agent/admin/agents/:id/enable',
    { config, schema: { tags, security, summary: 'Let a disabled agent log in again (admins only)', params: AgentParams, response: changeResponse } },
    async (request, reply) => change(request, reply, request.params.id, { disabled: false }),
  );

  app.post(
    '/api/agent/admin/agents/:id/role',
    {
      config,
      schema: { tags, security, summary: "Change an agent's role (admins only); their sessions end so the new role applies at once", params: AgentParams, body: Type.Object({ role: Role }), response: changeResponse },
    },
    async (request, reply) => change(request, reply, request.params.id, { role: request.body.role }),
  );
}
