// Roles: what an agent, an editor and an admin may do on every /api/agent route; managing agents (create,
// reset a password, disable, change a role), and that a reset or a disable ends the sessions and live sockets.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { openStore, type Store } from '../server/store/database.js';
import { SESSION_RECHECK_MS } from '../server/handoff/stream.js';
import type { AgentRole } from '../server/store/schema.js';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn, registeredRoutes, submitLogin, type AgentClient } from './helpers/agents.js';
import { tempDir } from './helpers/services.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'first-admin-pw' });
const start = () => startAt(MONDAY_MORNING);

type Who = AgentRole;
const CONVERSATIONS: Who[] = ['agent', 'admin'];
const EVERYONE: Who[] = ['agent', 'editor', 'admin'];
const ADMINS: Who[] = ['admin'];
const CONTENT: Who[] = ['editor', 'admin'];

/** The README's roles table, route by route. A route missing here fails the test: decide its roles first. */
const MATRIX: Record<string, Who[]> = {
  'GET /api/agent/me': EVERYONE,
  'GET /api/agent/queue': CONVERSATIONS,
  'GET /api/agent/conversations/:id': CONVERSATIONS,
  'POST /api/agent/conversations/:id/claim': CONVERSATIONS,
  'POST /api/agent/conversations/:id/reply': CONVERSATIONS,
  'POST /api/agent/conversations/:id/notes': CONVERSATIONS,
  'POST /api/agent/conversations/:id/hand-back': CONVERSATIONS,
  'POST /api/agent/conversations/:id/resolve': CONVERSATIONS,
  'POST /api/agent/conversations/:id/transfer': CONVERSATIONS,
  'GET /api/agent/stream': CONVERSATIONS,
  // issue 13: the inbox, colleagues to transfer to, articles as cards, canned replies, the console language
  'GET /api/agent/inbox': CONVERSATIONS,
  'GET /api/agent/agents': CONVERSATIONS,
  'POST /api/agent/conversations/:id/articles': CONVERSATIONS,
  'GET /api/agent/canned-replies': CONVERSATIONS,
  'POST /api/agent/canned-replies': ADMINS,
  'PUT /api/agent/canned-replies/:id': ADMINS,
  'DELETE /api/agent/canned-replies/:id': ADMINS,
  'PATCH /api/agent/me': EVERYONE,
  'GET /api/agent/presence': CONVERSATIONS,
  'POST /api/agent/presence': CONVERSATIONS,
  // issue 13: attachments
  'POST /api/agent/conversations/:id/attachments': CONVERSATIONS,
  'GET /api/agent/conversations/:id/attachments/:attachmentId': CONVERSATIONS,
  'GET /api/agent/kb/search': EVERYONE,
  'GET /api/agent/kb/learned': CONTENT,
  'DELETE /api/agent/kb/learned/:id': CONTENT,
  'GET /api/agent/admin/agents': ADMINS,
  'POST /api/agent/admin/agents': ADMINS,
  'POST /api/agent/admin/agents/:id/password': ADMINS,
  'POST /api/agent/admin/agents/:id/disable': ADMINS,
  'POST /api/agent/admin/agents/:id/enable': ADMINS,
  'POST /api/agent/admin/agents/:id/role': ADMINS,
};

async function queuedConversation(app: FastifyInstance) {
  const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: `visitor-${Math.random()}` }], 'Kim');
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
  await app.transcript.append(conversation.id, { author: 'customer', text: 'Where is my parcel?' });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  return conversation.id;
}

async function team(app: FastifyInstance) {
  await addAgent(app, 'anna', 'Anna', 'correct horse', 'agent');
  await addAgent(app, 'eddie', 'Eddie', 'correct horse', 'editor');
  await addAgent(app, 'ada', 'Ada', 'correct horse', 'admin');
  return { agent: await logIn(app, 'anna'), editor: await logIn(app, 'eddie'), admin: await logIn(app, 'ada') } as Record<Who, AgentClient>;
}

describe('roles on every agent route', () => {
  it('each role gets 403 exactly on the routes it may not use, and is served on the others', async () => {
    const { app } = await start();
    const clients = await team(app);
    const routes = registeredRoutes(app).filter((r) => r.url.startsWith('/api/agent') && r.method !== 'HEAD');
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const key of keys) expect(MATRIX, `${key} has no row in the roles table`).toHaveProperty([key]);
    const victim = await addAgent(app, 'victim', 'Victim', 'correct horse', 'agent');

    const shared = await queuedConversation(app);
    let cannedId = (await clients.admin.post('/api/agent/canned-replies', { title: 'Greeting', body: 'Hello' })).json().reply.id;
    for (const role of ['agent', 'editor', 'admin'] as const) {
      const client = clients[role];
      for (const route of routes) {
        // an action gets a conversation of its own (a claim must not meet one resolved a moment ago); reads share one
        const conversationId = route.method === 'POST' && route.url.includes('/conversations/') ? await queuedConversation(app) : shared;
        const url = route.url.replace('/agents/:id', `/agents/${victim.id}`).replace('/canned-replies/:id', `/canned-replies/${cannedId}`).replace('/learned/:id', '/learned/999999').replace(/:id/g, conversationId) + (route.url.endsWith('/search') ? '?q=card' : '');
        const body = url.endsWith('/role') ? { role: 'agent' } : url.endsWith('/password') ? { password: 'a new password' } : url.endsWith('/admin/agents') ? { login: `new-${role}`, name: 'New', role: 'agent', password: 'a new password' }
          : url.endsWith('/transfer') ? { agentId: victim.id, note: 'over to you' } : url.endsWith('/articles') ? { articleId: 'delivery-times' } : url.includes('/canned-replies') ? { title: 'Hi', body: 'Hello {{customer.name}}' }
          : url === '/api/agent/me' ? { locale: 'en' } : { text: 'hi' };
        const response = route.method === 'POST' ? await client.post(url, body) : route.method === 'GET' ? await client.get(url)
          : await app.inject({ method: route.method as 'PUT' | 'DELETE' | 'PATCH', url, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken }, ...(route.method === 'DELETE' ? {} : { payload: body }) });
        // a deleted canned reply is made again for the next role
        if (route.method === 'DELETE' && response.statusCode === 204) cannedId = (await clients.admin.post('/api/agent/canned-replies', { title: 'Again', body: 'Hi' })).json().reply.id;
        const what = `${role}: ${route.method} ${url} -> ${response.statusCode} ${response.body.slice(0, 120)}`;
        if (MATRIX[`${route.method} ${route.url}`].includes(role)) {
          expect(response.statusCode, what).not.toBe(403);
          expect(response.statusCode, what).toBeLessThan(500);
        } else {
          expect(response.statusCode, what).toBe(403);
          expect(response.json().message, what).toContain(`Your role (${role})`);
        }
      }
      // a reset or disable above ended the victim's sessions only; enable again for the next role
      await app.agents.update(victim.id, { disabled: false });
    }
  }, 120_000); // about 50 requests with a few password hashes: slow on a busy CI machine

  it('an editor cannot open the live conversation stream; an agent can', async () => {
    const { app } = await start();
    const clients = await team(app);
    await expect((app as any).injectWS('/api/agent/stream', { headers: { cookie: clients.editor.cookie } })).rejects.toThrow(/403/);
    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: clients.agent.cookie } });
    socket.terminate();
  });

  it('an editor cannot claim or reply to a conversation, so it stays in the queue', async () => {
    const { app } = await start();
    const { editor } = await team(app);
    const id = await queuedConversation(app);
    expect((await editor.post(`/api/agent/conversations/${id}/claim`)).statusCode).toBe(403);
    expect((await app.repos.conversations.get(id))?.status).toBe('queued');
    // the HEAD twin of a GET route carries the same roles
    expect((await app.inject({ method: 'HEAD', url: '/api/agent/queue', headers: { cookie: editor.cookie } })).statusCode).toBe(403);
  });
});

describe('managing agents', () => {
  it('an admin creates an agent who can then log in with the role given', async () => {
    const { app } = await start();
    const { admin } = await team(app);
    const created = await admin.post('/api/agent/admin/agents', { login: 'Ben', name: 'Ben', role: 'editor', password: 'long enough' });
    expect(created.statusCode).toBe(201);
    expect(created.json().agent).toMatchObject({ login: 'ben', name: 'Ben', role: 'editor', disabled: false });
    const ben = await logIn(app, 'ben', 'long enough');
    expect((await ben.get('/api/agent/me')).json().role).toBe('editor');
    expect((await admin.post('/api/agent/admin/agents', { login: 'ben', name: 'Ben 2', role: 'agent', password: 'long enough' })).statusCode).toBe(409);
    expect((await admin.post('/api/agent/admin/agents', { login: 'cleo', name: 'Cleo', role: 'agent', password: 'short' })).statusCode).toBe(400);
    const list = (await admin.get('/api/agent/admin/agents')).json().agents.map((a: any) => a.login);
    expect(list).toEqual(expect.arrayContaining(['admin', 'ada', 'anna', 'ben', 'eddie']));
  });

  it('a disabled agent cannot log in (the same answer as a wrong password) until enabled again', async () => {
    const { app } = await start();
    const { admin } = await team(app);
    const anna = (await app.agents.findByLogin('anna'))!;
    expect((await admin.post(`/api/agent/admin/agents/${anna.id}/disable`)).json().agent.disabled).toBe(true);
    const refused = await submitLogin(app, 'anna', 'correct horse');
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain('Wrong login or password.');
    expect((await admin.post(`/api/agent/admin/agents/${anna.id}/enable`)).json().agent.disabled).toBe(false);
    expect((await submitLogin(app, 'anna', 'correct horse')).statusCode).toBe(303);
  });

  it('the last admin who can log in cannot be disabled or demoted', async () => {
    const { app } = await start();
    const { admin } = await team(app);
    const first = (await app.agents.findByLogin('admin'))!;
    await admin.post(`/api/agent/admin/agents/${first.id}/disable`); // two admins: allowed
    const ada = (await app.agents.findByLogin('ada'))!;
    const demote = await admin.post(`/api/agent/admin/agents/${ada.id}/role`, { role: 'agent' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().message).toContain('last admin');
    expect((await admin.post(`/api/agent/admin/agents/${ada.id}/disable`)).statusCode).toBe(409);
    expect((await admin.get('/api/agent/me')).statusCode).toBe(200);
  });

  it('a role change applies at once: the old sessions end and the next login has the new role', async () => {
    const { app } = await start();
    const { admin, agent } = await team(app);
    const anna = (await app.agents.findByLogin('anna'))!;
    const changed = await admin.post(`/api/agent/admin/agents/${anna.id}/role`, { role: 'editor' });
    expect(changed.json()).toMatchObject({ agent: { role: 'editor' }, sessionsEnded: 1 });
    expect((await agent.get('/api/agent/queue')).statusCode).toBe(401);
    const again = await logIn(app, 'anna');
    expect((await again.get('/api/agent/queue')).statusCode).toBe(403);
  });
});

describe('a password reset or a disable ends every session of that agent', () => {
  for (const how of ['password reset', 'disable'] as const) {
    it(`${how}: all of the agent's sessions answer 401 and the live console socket closes; others keep theirs`, async () => {
      const { app } = await start();
      const { admin, editor } = await team(app);
      const laptop = await logIn(app, 'anna');
      const phone = await logIn(app, 'anna');
      const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: laptop.cookie } });
      const closed = new Promise<number>((resolve) => socket.on('close', (code: number) => resolve(code)));
      const anna = (await app.agents.findByLogin('anna'))!;
      const response = how === 'disable'
        ? await admin.post(`/api/agent/admin/agents/${anna.id}/disable`)
        : await admin.post(`/api/agent/admin/agents/${anna.id}/password`, { password: 'a brand new one' });
      expect(response.statusCode).toBe(200);
      expect(response.json().sessionsEnded).toBe(3); // team() logged anna in once too
      expect(await closed).toBe(4401);
      expect((await laptop.get('/api/agent/me')).statusCode).toBe(401);
      expect((await phone.get('/api/agent/me')).statusCode).toBe(401);
      expect((await editor.get('/api/agent/me')).statusCode).toBe(200);
      expect((await admin.get('/api/agent/me')).statusCode).toBe(200);
      if (how === 'password reset') {
        expect((await submitLogin(app, 'anna', 'correct horse')).statusCode).toBe(401);
        expect((await submitLogin(app, 'anna', 'a brand new one')).statusCode).toBe(303);
      }
    });
  }
});

describe('npm run agent:add -- --reset-password', () => {
  let app: FastifyInstance | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await app?.close();
    await store?.close();
  });

  it("ends the agent's sessions: the server refuses them at once and closes the live socket at its next session check", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dataDir = tempDir();
    const databaseUrl = `sqlite:${path.join(dataDir, 'support-desk.sqlite')}`;
    store = await openStore(databaseUrl);
    app = await buildApp(testConfig({ DATA_DIR: dataDir, INITIAL_ADMIN_PASSWORD: 'first-admin-pw' }), { store });
    await app.ready();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: anna.cookie } });
    let closedWith: number | undefined;
    socket.on('close', (code: number) => (closedWith = code));

    // another process, as an operator runs it; spawnSync blocks this process, so first commit what it wrote
    // (the console socket's presence row) or its open batch would hold SQLite's write lock all along
    await store.durable();
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/agent-add.ts', '--login', 'anna', '--reset-password'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATA_DIR: dataDir, AGENT_PASSWORD: 'a brand new one', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('1 session ended');
    expect((await anna.get('/api/agent/me')).statusCode).toBe(401);

    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await vi.waitFor(() => expect(closedWith).toBe(4401), { timeout: 5000, interval: 20 });
  });
});
