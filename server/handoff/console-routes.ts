// The agent console page: a server-rendered shell (handlebars) and the bundled script that fills it
// from the JSON API and the agent WebSocket. Without a session the page sends you to the login.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ROLES, type AgentAuth } from './auth.js';
import { renderAgentView } from './views.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'public', 'build', 'agent-console.js');
const STYLES = path.join(ROOT, 'public', 'agent.css');

/** Agent pages run only our own script and talk only to us (the strict CSP is `agentPage` of the security headers); never cached. */
export const AGENT_PAGE_HEADERS = { 'cache-control': 'no-store' };

export default async function consoleRoutes(app: FastifyInstance, { auth }: { auth: AgentAuth }) {
  app.get('/agent', { schema: { hide: true }, helmet: app.securityHeaders.agentPage, onRequest: auth.requirePageSession }, async (request, reply) => {
    const { agent, csrfToken } = request.agentSession!;
    const html = renderAgentView('console', {
      agentName: agent.display_name,
      login: agent.login,
      role: agent.role,
      csrfToken,
      // the page offers only what the role may use; the API enforces the same roles
      handlesConversations: (ROLES.conversations as readonly string[]).includes(agent.role),
      isAdmin: (ROLES.admin as readonly string[]).includes(agent.role),
    });
    return reply.headers(AGENT_PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
  });

  // The console's code and styles hold no secrets: served without a session, so the login page is styled too.
  app.get('/agent/assets/console.js', { schema: { hide: true } }, async (_request, reply) => {
    if (!fs.existsSync(SCRIPT)) return reply.code(503).type('text/plain').send('The console script is not built: run npm run build:assets');
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(SCRIPT));
  });
  app.get('/agent/assets/console.css', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(STYLES));
  });
}
