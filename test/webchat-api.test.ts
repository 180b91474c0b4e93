// The web chat API through app.inject: tokens, limits, what is stored, and the rating.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { dialects, openPostgresStore, skipWithoutPostgres, tempDir } from './helpers/services.js';

let apps: FastifyInstance[] = [];

async function start(env: Record<string, string> = {}, file = path.join(tempDir(), 'chat.sqlite')) {
  const app = await buildApp(testConfig({ DATABASE_URL: `sqlite:${file}`, ...env }));
  await app.ready();
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
});

async function open(app: FastifyInstance, body: object = { locale: 'en' }) {
  const res = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: body });
  expect(res.statusCode).toBe(201);
  return res.json() as { conversationId: string; token: string; visitorId: string; locale: string; messages: any[] };
}

function send(app: FastifyInstance, id: string, token: string | undefined, payload: object) {
  return app.inject({
    method: 'POST',
    url: `/api/chat/conversations/${id}/messages`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload,
  });
}

describe('web chat API', () => {
  it('starts a conversation with a stored greeting, a token and a visitor id', async () => {
    const app = await start();
    const chat = await open(app, { locale: 'de' });
    expect(chat.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(chat.visitorId).toBeTruthy();
    expect(chat.locale).toBe('de');
    expect(chat.messages).toHaveLength(1);
    expect(chat.messages[0]).toMatchObject({ seq: 1, author: 'bot' });
    expect(chat.messages[0].text).toMatch(/Hallo/);
    const stored = await app.repos.conversations.get(chat.conversationId);
    expect(stored?.token_hash).not.toContain(chat.token);
    expect(stored?.token_hash).toHaveLength(64);
  });

  it('recognises a returning visitor by the visitor id it was given', async () => {
    const app = await start();
    const first = await open(app, { locale: 'en' });
    const second = await open(app, { locale: 'en', visitorId: first.visitorId });
    const a = await app.repos.conversations.get(first.conversationId);
    const b = await app.repos.conversations.get(second.conversationId);
    expect(b?.customer_id).toBe(a?.customer_id);
  });

  it('a message is in the database before the response, and the replies come back', async () => {
    const app = await start();
    const chat = await open(app);
    const res = await send(app, chat.conversationId, chat.token, { text: 'I want to talk to a person' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.received).toMatchObject({ seq: 2, author: 'customer', text: 'I want to talk to a person' });
    const authors = body.messages.map((m: any) => m.author);
    expect(authors[0]).toBe('bot');
    expect(authors.slice(1).length).toBeGreaterThan(0);
    expect(authors.slice(1).every((a: string) => a === 'system')).toBe(true);
    const stored = await app.repos.conversations.messages(chat.conversationId);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, ...body.messages.map((m: any) => m.seq)]);
    expect(stored[1]).toMatchObject({ author: 'customer', text: 'I want to talk to a person' });
    expect((await app.repos.conversations.get(chat.conversationId))?.status).toBe('queued');
  });

  it('after escalation the bot says nothing, but the customer message is stored for the agents', async () => {
    const app = await start();
    const chat = await open(app);
    await send(app, chat.conversationId, chat.token, { action: 'handoff' });
    const res = await send(app, chat.conversationId, chat.token, { text: 'hello? anyone there?' });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages).toEqual([]);
    const all = await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${chat.token}` } });
    expect(all.json().status).toBe('queued');
    expect(all.json().messages.at(-1)).toMatchObject({ author: 'customer', text: 'hello? anyone there?' });
  });

  it('a quick reply is stored with its label', async () => {
    const app = await start();
    const chat = await open(app);
    const res = await send(app, chat.conversationId, chat.token, { text: 'xyzzy plugh qwerty' });
    const quick = res.json().messages[0].quickReplies;
    expect(quick).toEqual([{ label: 'Talk to a person', action: 'handoff' }]);
    const pressed = await send(app, chat.conversationId, chat.token, { action: 'handoff' });
    expect(pressed.json().received).toMatchObject({ author: 'customer', text: 'Talk to a person' });
  });

  it('a token of conversation A cannot read or write conversation B', async () => {
    const app = await start();
    const a = await open(app);
    const b = await open(app);
    const write = await send(app, b.conversationId, a.token, { text: 'hello' });
    expect(write.statusCode).toBe(404);
    const read = await app.inject({ method: 'GET', url: `/api/chat/conversations/${b.conversationId}/messages`, headers: { authorization: `Bearer ${a.token}` } });
    expect(read.statusCode).toBe(404);
    const unknown = await app.inject({ method: 'GET', url: `/api/chat/conversations/does-not-exist/messages`, headers: { authorization: `Bearer ${a.token}` } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe(read.json().message);
    expect(await app.repos.conversations.messages(b.conversationId)).toHaveLength(1);
  });

  it('a missing token is 401', async () => {
    const app = await start();
    const chat = await open(app);
    expect((await send(app, chat.conversationId, undefined, { text: 'hi' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages` })).statusCode).toBe(401);
  });

  it('oversized text is refused with 413 and a reason; empty text with 400', async () => {
    const app = await start({ CHAT_MAX_TEXT_LENGTH: '50' });
    const chat = await open(app);
    const big = await send(app, chat.conversationId, chat.token, { text: 'a'.repeat(51) });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/at most 50/);
    expect((await send(app, chat.conversationId, chat.token, { text: '   ' })).statusCode).toBe(400);
    expect((await send(app, chat.conversationId, chat.token, {})).statusCode).toBe(400);
    expect(await app.repos.conversations.messages(chat.conversationId)).toHaveLength(1);
  });

  it('reads only the messages after a seq', async () => {
    const app = await start();
    const chat = await open(app);
    await send(app, chat.conversationId, chat.token, { text: 'hello' });
    const res = await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages?after=1`, headers: { authorization: `Bearer ${chat.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('bot');
    expect(res.json().messages.map((m: any) => m.seq)).toEqual([2, 3]);
  });

  it('internal notes are never returned; agent messages carry the agent name', async () => {
    const app = await start();
    const chat = await open(app);
    await app.transcript.append(chat.conversationId, { author: 'agent', text: 'secret note', internal: true });
    await app.transcript.append(chat.conversationId, { author: 'agent', text: 'Hi, Anna here', payload: { agentName: 'Anna' } });
    const res = await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${chat.token}` } });
    const texts = res.json().messages.map((m: any) => m.text);
    expect(texts).not.toContain('secret note');
    expect(res.json().messages.at(-1)).toMatchObject({ author: 'agent', text: 'Hi, Anna here', agentName: 'Anna' });
  });

  it('limits the messages per conversation with 429 and Retry-After', async () => {
    const app = await start({ CHAT_MESSAGES_PER_MINUTE: '2' });
    const chat = await open(app);
    expect((await send(app, chat.conversationId, chat.token, { text: 'hello' })).statusCode).toBe(200);
    expect((await send(app, chat.conversationId, chat.token, { text: 'hello' })).statusCode).toBe(200);
    const limited = await send(app, chat.conversationId, chat.token, { text: 'hello' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another conversation is not affected
    const other = await open(app);
    expect((await send(app, other.conversationId, other.token, { text: 'hello' })).statusCode).toBe(200);
  });

  it('limits requests per IP with 429 and Retry-After', async () => {
    const app = await start({ CHAT_REQUESTS_PER_MINUTE_PER_IP: '3' });
    for (let i = 0; i < 3; i++) {
      expect((await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: {}, remoteAddress: '10.0.0.1' })).statusCode).toBe(201);
    }
    const limited = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: {}, remoteAddress: '10.0.0.1' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: {}, remoteAddress: '10.0.0.2' })).statusCode).toBe(201);
  });

  it('answers CORS preflights and allows any origin on the chat API', async () => {
    const app = await start();
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/chat/conversations/x/messages',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(String(pre.headers['access-control-allow-headers'])).toMatch(/authorization/);
    const created = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: {}, headers: { origin: 'https://shop.example' } });
    expect(created.headers['access-control-allow-origin']).toBe('*');
  });

  it('a resolved conversation can be rated once resolved, not before', async () => {
    const app = await start();
    const chat = await open(app);
    const rate = () =>
      app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/rating`, headers: { authorization: `Bearer ${chat.token}` }, payload: { stars: 4, comment: 'quick' } });
    expect((await rate()).statusCode).toBe(409);
    await app.repos.conversations.update(chat.conversationId, { status: 'resolved' });
    expect((await rate()).statusCode).toBe(204);
    const stored = await app.repos.conversations.get(chat.conversationId);
    expect(stored).toMatchObject({ rating: 4, rating_comment: 'quick' });
    const bad = await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/rating`, headers: { authorization: `Bearer ${chat.token}` }, payload: { stars: 6 } });
    expect(bad.statusCode).toBe(400);
  });

  it('a restart on the same database keeps the conversation and the bot state', async () => {
    const file = path.join(tempDir(), 'restart.sqlite');
    const first = await start({}, file);
    const chat = await open(first);
    await send(first, chat.conversationId, chat.token, { text: 'xyzzy plugh qwerty' }); // one miss
    await first.close();
    apps = apps.filter((a) => a !== first);
    const second = await start({}, file);
    const res = await send(second, chat.conversationId, chat.token, { text: 'florp blarg zonk' }); // the second miss escalates
    expect(res.statusCode).toBe(200);
    expect(res.json().messages[0].author).toBe('bot');
    expect(res.json().messages.at(-1).author).toBe('system');
    expect((await second.repos.conversations.get(chat.conversationId))?.status).toBe('queued');
  });
});

describe('web chat API on PostgreSQL', () => {
  it('runs a conversation to an escalation, with the bot state on PostgreSQL', async (ctx) => {
    if (await skipWithoutPostgres()) ctx.skip();
    const store = await openPostgresStore();
    const app = await buildApp(testConfig(), { store });
    app.addHook('onClose', async () => store.close());
    await app.ready();
    apps.push(app);
    const chat = await open(app);
    const miss = await send(app, chat.conversationId, chat.token, { text: 'xyzzy plugh qwerty' });
    expect(miss.json().messages[0].quickReplies).toEqual([{ label: 'Talk to a person', action: 'handoff' }]);
    const second = await send(app, chat.conversationId, chat.token, { text: 'florp blarg zonk' });
    expect(second.json().messages.at(-1).author).toBe('system');
    expect((await app.repos.conversations.get(chat.conversationId))?.status).toBe('queued');
    expect((await store.db.selectFrom('bot_state').select('key').execute()).length).toBeGreaterThan(0);
  });
});

describe('client message ids: a retried message is stored once', () => {
  async function searchEvents(app: FastifyInstance, conversationId: string) {
    return app.store.db.selectFrom('search_events').select('query').where('conversation_id', '=', conversationId).execute();
  }

  it('a retry with the same clientMessageId answers with the stored message and the same replies, without running the bot again', async () => {
    const app = await start();
    const chat = await open(app);
    const payload = { text: 'xyzzy plugh qwerty', clientMessageId: '6f1c2a7e-0d4b-4c55-9a1e-3b2f7c9d8e10' };
    const first = await send(app, chat.conversationId, chat.token, payload);
    expect(first.statusCode).toBe(200);
    const retry = await send(app, chat.conversationId, chat.token, payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    const stored = await app.repos.conversations.messages(chat.conversationId);
    expect(stored.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(['xyzzy plugh qwerty']);
    // the bot ran once: one search, and no second miss (two misses in a row would have escalated)
    expect(await searchEvents(app, chat.conversationId)).toHaveLength(1);
    expect((await app.repos.conversations.get(chat.conversationId))?.status).toBe('bot');
    // a new id is a new message
    const next = await send(app, chat.conversationId, chat.token, { text: 'xyzzy plugh qwerty', clientMessageId: 'second-message-id' });
    expect(next.json().received.seq).toBeGreaterThan(first.json().messages.at(-1).seq);
  });

  it.for(dialects)('identical requests racing on two server instances on $name store the message once and all get the same answer', async ({ name, open: openDb }, ctx) => {
    if (name === 'postgres' && (await skipWithoutPostgres())) ctx.skip();
    // two instances on one database, as behind a load balancer: only the unique index keeps them apart
    const store = await openDb();
    const [one, two] = await Promise.all([buildApp(testConfig(), { store }), buildApp(testConfig(), { store })]);
    one.addHook('onClose', async () => store.close());
    apps.push(two, one);
    await Promise.all([one.ready(), two.ready()]);
    const chat = await open(one);
    const payload = { text: 'How long does delivery take?', clientMessageId: 'race-0123456789' };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i % 2 ? two : one, chat.conversationId, chat.token, payload)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(200));
    for (const answer of answers) expect(answer.json().received).toEqual(answers[0].json().received);
    const stored = await one.repos.conversations.messages(chat.conversationId);
    expect(stored.filter((m) => m.author === 'customer')).toHaveLength(1);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(await searchEvents(one, chat.conversationId)).toHaveLength(1);
  });

  it('a retry is answered even after the conversation was closed meanwhile', async () => {
    const app = await start();
    const chat = await open(app);
    const payload = { text: 'hello', clientMessageId: 'before-close-1' };
    const first = await send(app, chat.conversationId, chat.token, payload);
    await app.repos.conversations.update(chat.conversationId, { status: 'resolved' });
    const retry = await send(app, chat.conversationId, chat.token, payload);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().received).toEqual(first.json().received);
  });

  it('a malformed clientMessageId is refused with 400', async () => {
    const app = await start();
    const chat = await open(app);
    const res = await send(app, chat.conversationId, chat.token, { text: 'hello', clientMessageId: 'no spaces allowed here' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/clientMessageId/);
    expect(await app.repos.conversations.messages(chat.conversationId)).toHaveLength(1);
  });
});

describe('rating a conversation', () => {
  it('takes one rating per conversation: a second is 409 with a reason and does not overwrite the first', async () => {
    const app = await start();
    const chat = await open(app);
    await app.repos.conversations.update(chat.conversationId, { status: 'resolved' });
    const rate = (stars: number, comment?: string) =>
      app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/rating`, headers: { authorization: `Bearer ${chat.token}` }, payload: { stars, ...(comment ? { comment } : {}) } });
    expect((await rate(5, 'great')).statusCode).toBe(204);
    const second = await rate(1, 'changed my mind');
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/already been rated/);
    expect(await app.repos.conversations.get(chat.conversationId)).toMatchObject({ rating: 5, rating_comment: 'great' });
    // two at once: exactly one is kept
    const other = await open(app);
    await app.repos.conversations.update(other.conversationId, { status: 'resolved' });
    const both = await Promise.all([1, 2].map((stars) =>
      app.inject({ method: 'POST', url: `/api/chat/conversations/${other.conversationId}/rating`, headers: { authorization: `Bearer ${other.token}` }, payload: { stars } })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([204, 409]);
  });
});
