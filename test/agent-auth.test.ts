import { Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import type { Store } from '../server/store/database.js';
import { openSqliteStore } from './helpers/services.js';
import { addAgent, cookieValue, logIn, registeredRoutes, setCookies, submitLogin } from './helpers/agents.js';

let app: FastifyInstance | undefined;
let store: Store | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
  app = undefined;
  store = undefined;
});

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');

async function start(env: Record<string, string> = {}, options: { logger?: pino.Logger } = {}) {
  const clock = { current: MONDAY_MORNING, now: () => clock.current };
  store = await openSqliteStore();
  app = await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'first-admin-pw', ...env }), { store, clock, ...options });
  await app.ready();
  return { app, clock };
}

async function queuedConversation(app: FastifyInstance, text = 'Where is my parcel?') {
  const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: `visitor-${Math.random()}` }], 'Kim');
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
  await app.transcript.append(conversation.id, { author: 'customer', text });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  return conversation.id;
}

function capturingLogger() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('the first admin', () => {
  it('is created on an empty database with a random password that is logged once, clearly, and works', async () => {
    const { logger, lines } = capturingLogger();
    store = await openSqliteStore();
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { store, logger });
    const warning = lines.find((l) => l.level === 40 && /created the agent "admin"/.test(l.msg));
    expect(warning?.msg).toMatch(/password "([^"]{12,})" \(shown only this once\)/);
    const password = /password "([^"]+)"/.exec(warning.msg)![1];
    expect((await submitLogin(app, 'admin', password)).statusCode).toBe(303);
    expect((await app.agents.findByLogin('admin'))?.role).toBe('admin');
    // stored as a scrypt hash, never as given
    expect((await app.agents.findByLogin('admin'))?.password_hash).toMatch(/^scrypt\$/);
    await app.close();

    // a second start finds an agent and says nothing
    lines.length = 0;
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { store, logger });
    expect(lines.some((l) => /created the agent/.test(l.msg))).toBe(false);
  });

  it('takes INITIAL_ADMIN_PASSWORD when set and does not log it', async () => {
    const { logger, lines } = capturingLogger();
    await start({ INITIAL_ADMIN_PASSWORD: 'from-the-environment' }, { logger });
    expect(JSON.stringify(lines)).not.toContain('from-the-environment');
    expect(lines.some((l) => l.level === 40 && /INITIAL_ADMIN_PASSWORD/.test(l.msg))).toBe(true);
    expect((await submitLogin(app!, 'admin', 'from-the-environment')).statusCode).toBe(303);
  });
});

describe('login and sessions', () => {
  it('logs in with a session cookie that is HttpOnly, SameSite=Strict and opaque (only its hash is stored)', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const response = await submitLogin(app, 'anna', 'correct horse');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent');
    const line = setCookies(response).get('support_desk_agent')!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Strict/);
    expect(line).toMatch(/Path=\//);
    expect(line).toMatch(/Max-Age=43200/); // AGENT_SESSION_TTL_HOURS default 12
    expect(line).not.toMatch(/Secure/);
    const value = cookieValue(line)!;
    const rows = await app.store.db.selectFrom('agent_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(createHash('sha256').update(value).digest('hex'));
    expect(rows[0].id).not.toBe(value);
  });

  it('makes the cookie Secure (and __Host-) when PUBLIC_URL is https', async () => {
    const { app } = await start({ PUBLIC_URL: 'https://support.example.com' });
    await addAgent(app, 'anna', 'Anna');
    const response = await submitLogin(app, 'anna', 'correct horse');
    const line = setCookies(response).get('__Host-support_desk_agent');
    expect(line).toMatch(/; Secure/);
  });

  it('refuses a wrong password and an unknown login alike, without a session', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    for (const [login, password] of [['anna', 'wrong'], ['nobody', 'correct horse']]) {
      const response = await submitLogin(app, login, password);
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('Wrong login or password.');
      expect(setCookies(response).has('support_desk_agent')).toBe(false);
    }
  });

  it('refuses a login form posted without the login CSRF cookie (a cross-site form)', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const response = await app.inject({
      method: 'POST',
      url: '/agent/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'login=anna&password=correct+horse&_csrf=guessed',
    });
    expect(response.statusCode).toBe(403);
    expect(setCookies(response).has('support_desk_agent')).toBe(false);
  });

  it('rate-limits login attempts per address', async () => {
    const { app } = await start({ AGENT_LOGIN_ATTEMPTS_PER_15_MIN: '3' });
    await addAgent(app, 'anna', 'Anna');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await submitLogin(app, 'anna', 'guess')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // even the right password waits now
    const blocked = await submitLogin(app, 'anna', 'correct horse');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many login attempts');
    // another address is not affected
    expect((await submitLogin(app, 'anna', 'correct horse', {}, '203.0.113.9')).statusCode).toBe(303);
  });

  it('ends the session at logout and when it expires', async () => {
    const { app, clock } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    expect((await anna.get('/api/agent/me')).statusCode).toBe(200);
    clock.current = new Date(MONDAY_MORNING.getTime() + 12 * 3600_000 + 1000);
    expect((await anna.get('/api/agent/me')).statusCode).toBe(401);

    clock.current = MONDAY_MORNING;
    const again = await logIn(app, 'anna');
    const logout = await again.post('/agent/logout', `_csrf=${again.csrfToken}`, { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': '' });
    expect(logout.statusCode).toBe(303);
    expect(logout.headers.location).toBe('/agent/login');
    expect((await again.get('/api/agent/me')).statusCode).toBe(401);
  });
});

describe('no agent route without a session', () => {
  it('every /api/agent route answers 401 without a session, with a made-up cookie and with an expired one', async () => {
    const { app, clock } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const routes = registeredRoutes(app).filter((r) => r.url.startsWith('/api/agent') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThanOrEqual(10);
    clock.current = new Date(MONDAY_MORNING.getTime() + 13 * 3600_000);
    for (const cookie of [undefined, 'support_desk_agent=made-up', anna.cookie]) {
      for (const route of routes) {
        const url = route.url.replace(/:id/g, 'some-id') + (route.url.endsWith('/search') ? '?q=card' : '');
        const response = await app.inject({ method: route.method as any, url, headers: cookie ? { cookie } : {}, ...(route.method === 'POST' ? { payload: { text: 'hi' } } : {}) });
        expect(response.statusCode, `${route.method} ${url} with ${cookie ?? 'no cookie'}`).toBe(401);
        expect(response.json().message).toContain('/agent/login');
      }
    }
  });

  it('the console page sends you to the login page', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/agent' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agent/login');
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request with the session cookie but without, or with a wrong, CSRF token', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    await addAgent(app, 'ben', 'Ben');
    const anna = await logIn(app, 'anna');
    const ben = await logIn(app, 'ben');
    const id = await queuedConversation(app);
    const claim = `/api/agent/conversations/${id}/claim`;

    const without = await app.inject({ method: 'POST', url: claim, headers: { cookie: anna.cookie } });
    expect(without.statusCode).toBe(403);
    const wrong = await app.inject({ method: 'POST', url: claim, headers: { cookie: anna.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    // a token is bound to its session: Ben's token does not work with Anna's cookie
    const someoneElses = await app.inject({ method: 'POST', url: claim, headers: { cookie: anna.cookie, 'x-csrf-token': ben.csrfToken } });
    expect(someoneElses.statusCode).toBe(403);
    // a form post (what a cross-site page could send) without the field
    const form = await app.inject({ method: 'POST', url: claim, headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x=1' });
    expect(form.statusCode).toBe(403);
    expect((await app.repos.conversations.get(id))?.status).toBe('queued');

    const right = await anna.post(claim);
    expect(right.statusCode).toBe(200);
    expect((await app.repos.conversations.get(id))?.status).toBe('assigned');
  });

  it('refuses logout without the CSRF token', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const response = await app.inject({ method: 'POST', url: '/agent/logout', headers: { cookie: anna.cookie } });
    expect(response.statusCode).toBe(403);
    expect((await anna.get('/api/agent/me')).statusCode).toBe(200);
  });
});
