// Secrets never reach the log: a real app's log lines, captured while a customer chats (REST and the stream,
// whose token travels in the URL) and an agent logs in and works, hold no token, session cookie or CSRF token.
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { createLogger, redactUrl } from '../server/logger.js';
import { tempDir } from './helpers/services.js';
import { addAgent, cookieValue, setCookies, submitLogin } from './helpers/agents.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('the log', () => {
  it('never holds a conversation token, a session cookie or a CSRF token', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // trace: the most a server can be told to log
    const config = testConfig({ LOG_LEVEL: 'trace', DATABASE_URL: `sqlite:${path.join(tempDir(), 'log.sqlite')}`, INITIAL_ADMIN_PASSWORD: 'first-admin-pw' });
    app = await buildApp(config, { logger: createLogger(config, destination) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };

    // a customer: start, write, open the stream with ?token=
    const started = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
    const { conversationId, token } = started as { conversationId: string; token: string };
    const sent = await app.inject({ method: 'POST', url: `/api/chat/conversations/${conversationId}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { text: 'Where is my parcel?' } });
    expect(sent.statusCode).toBe(200);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/chat/conversations/${conversationId}/stream?token=${token}&after=0`);
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    socket.close();
    // a wrong token on the stream is logged without it as well
    await app.inject({ url: `/api/chat/conversations/${conversationId}/messages?after=0&token=${token}`, headers: { authorization: `Bearer ${token}` } });

    // an agent: log in (login form cookie + CSRF field), read /me (the CSRF token), act with it
    await addAgent(app, 'anna', 'Anna');
    const login = await submitLogin(app, 'anna', 'correct horse');
    expect(login.statusCode).toBe(303);
    const [name, line] = [...setCookies(login)].find(([n]) => n.includes('support_desk_agent'))!;
    const session = cookieValue(line)!;
    const me = await app.inject({ url: '/api/agent/me', headers: { cookie: `${name}=${session}` } });
    const { csrfToken } = me.json() as { csrfToken: string };
    await app.inject({ method: 'POST', url: '/agent/logout', headers: { cookie: `${name}=${session}`, 'x-csrf-token': csrfToken } });

    await new Promise((resolve) => setTimeout(resolve, 50)); // the socket's close is logged asynchronously
    const log = lines.join('');
    // the requests were logged, the stream connect included, with the token's value replaced
    expect(log).toContain(`/api/chat/conversations/${conversationId}/stream?token=[redacted]&after=0`);
    expect(log).toContain('/api/agent/me');
    for (const secret of [token, session, csrfToken]) expect(log).not.toContain(secret);
  });

  it('redacts credential query parameters from a URL, whatever their position', () => {
    expect(redactUrl('/api/chat/conversations/1/stream?token=abc&after=2')).toBe('/api/chat/conversations/1/stream?token=[redacted]&after=2');
    expect(redactUrl('/x?after=2&TOKEN=abc')).toBe('/x?after=2&TOKEN=[redacted]');
    expect(redactUrl('/x?%74oken=abc')).toBe('/x?%74oken=[redacted]');
    expect(redactUrl('/help/search?q=token')).toBe('/help/search?q=token');
  });
});
