// Agent-side test helpers: log in through the real form (login CSRF cookie included) and call the agent API
// with the session cookie and CSRF token, as the console does.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../server/handoff/passwords.js';
import type { AgentRole } from '../../server/store/schema.js';

export interface AgentClient {
  cookie: string;
  csrfToken: string;
  agentId: number;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export async function addAgent(app: FastifyInstance, login: string, name: string, password = 'correct horse', role: AgentRole = 'agent') {
  return (await app.agents.create({ login, displayName: name, passwordHash: await hashPassword(password), role }))!;
}

/** The cookies a response sets, as name -> full Set-Cookie line. */
export function setCookies(response: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = response.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return new Map(lines.map((line: string) => [line.split('=')[0], line]));
}

export function cookieValue(line: string | undefined): string | undefined {
  return line?.split(';')[0].split('=').slice(1).join('=');
}

/** GET the login page, post the form; returns the response of the post and the cookie it set. */
export async function submitLogin(app: FastifyInstance, login: string, password: string, headers: Record<string, string> = {}, remoteAddress?: string) {
  const page = await app.inject({ method: 'GET', url: '/agent/login', headers, remoteAddress });
  const [name, line] = [...setCookies(page)].find(([n]) => n.includes('support_desk_login'))!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  return app.inject({
    method: 'POST',
    url: '/agent/login',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: `${name}=${cookieValue(line)}` },
    remoteAddress,
    payload: new URLSearchParams({ login, password, _csrf: csrf }).toString(),
  });
}

export async function logIn(app: FastifyInstance, login: string, password = 'correct horse'): Promise<AgentClient> {
  const response = await submitLogin(app, login, password);
  if (response.statusCode !== 303) throw new Error(`login failed: ${response.statusCode} ${response.body.slice(0, 200)}`);
  const [name, line] = [...setCookies(response)].find(([n]) => n.includes('support_desk_agent'))!;
  const cookie = `${name}=${cookieValue(line)}`;
  const me = await app.inject({ method: 'GET', url: '/api/agent/me', headers: { cookie } });
  const { csrfToken, id } = me.json();
  return {
    cookie,
    csrfToken,
    agentId: id,
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, body, headers = {}) =>
      app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrfToken, ...headers }, ...(body !== undefined ? { payload: body as any } : {}) }),
    delete: (url) => app.inject({ method: 'DELETE', url, headers: { cookie, 'x-csrf-token': csrfToken } }),
  };
}

/** Every route the app registered, from Fastify's own route tree (so a route added later is covered too). */
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const path: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│]*)(?:└── |├── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    path.length = depth;
    path[depth] = match[2];
    if (match[3]) for (const method of match[3].split(', ')) routes.push({ method, url: path.join('') });
  }
  return routes;
}

/**
 * Builds the console bundle when its source is newer than public/build/agent-console.js (npm test does it in
 * pretest; this keeps `npx vitest run test/browser/console…` honest when run on its own).
 */
export async function ensureConsoleBundle(): Promise<void> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = path.resolve(import.meta.dirname, '../..');
  const outfile = path.join(root, 'public/build/agent-console.js');
  const sources = path.join(root, 'server/handoff/console');
  const newest = Math.max(...fs.readdirSync(sources).map((f) => fs.statSync(path.join(sources, f)).mtimeMs), fs.statSync(path.join(root, 'server/handoff/agent-json.ts')).mtimeMs);
  if (fs.existsSync(outfile) && fs.statSync(outfile).mtimeMs >= newest) return;
  const { build } = await import('esbuild');
  await build({ entryPoints: [path.join(sources, 'index.ts')], outfile, bundle: true, minify: true, format: 'iife', target: ['es2020'], legalComments: 'none', logLevel: 'warning' });
}
