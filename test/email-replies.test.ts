// Replies by e-mail to a web customer who left: the real app, the widget's WebSocket with a real `ws`
// client, and a real SMTP server on loopback (smtp-server) that records what arrives.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mimePart, plainText, startSmtp as startLoopbackSmtp, type LoopbackSmtp } from './helpers/smtp.js';
import type { FastifyInstance } from 'fastify';
import { appsPerTest, type MovableClock } from './helpers/app.js';
import { addAgent, agentOnline, logIn, type AgentClient } from './helpers/agents.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const PUBLIC_URL = 'https://support.example.com';

const servers: LoopbackSmtp[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x', PUBLIC_URL, EMAIL_FROM: 'Support <support@example.com>' });

async function setup(): Promise<{ app: FastifyInstance; clock: MovableClock; smtp: LoopbackSmtp; anna: AgentClient; base: string }> {
  const smtp = await startLoopbackSmtp();
  servers.push(smtp);
  const { app, clock } = await startAt(MONDAY_MORNING, { SMTP_URL: smtp.url, OUTBOX_MAX_ATTEMPTS: '5' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const { id } = await addAgent(app, 'anna', 'Anna Schmidt');
  await agentOnline(app, id);
  const anna = await logIn(app, 'anna');
  return { app, clock, smtp, anna, base: `127.0.0.1:${address.port}` };
}

/** A web customer who gave an e-mail when starting the chat, handed over and claimed by Anna. */
async function claimedChat(app: FastifyInstance, anna: AgentClient, email = 'kim@example.net') {
  const res = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', customer: { name: 'Kim', email } } });
  expect(res.statusCode, res.body).toBe(201);
  const chat = res.json() as { conversationId: string; token: string };
  await app.handoff.escalate({ conversationId: chat.conversationId, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  expect((await anna.post(`/api/agent/conversations/${chat.conversationId}/claim`)).statusCode).toBe(200);
  return chat;
}

function openStream(base: string, chat: { conversationId: string; token: string }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${base}/api/chat/conversations/${chat.conversationId}/stream?token=${chat.token}`);
    sockets.push(socket);
    // the first status event means the server has the socket registered
    socket.once('message', () => resolve(socket));
    socket.on('error', reject);
  });
}

async function closeStream(socket: WebSocket) {
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.close();
  });
  // the server records the close a moment later
  await new Promise((r) => setTimeout(r, 100));
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function agentMessage(anna: AgentClient, conversationId: string, text: string) {
  const detail = (await anna.get(`/api/agent/conversations/${conversationId}`)).json();
  return detail.messages.find((m: any) => m.text === text);
}

describe('an agent reply to a customer who left', () => {
  it('arrives by e-mail with the text, the agent name and a link that reopens only this conversation', async () => {
    const { app, clock, smtp, anna, base } = await setup();
    const chat = await claimedChat(app, anna);
    const socket = await openStream(base, chat);
    await closeStream(socket);
    clock.current = new Date(MONDAY_MORNING.getTime() + 6 * 60_000);

    const reply = 'Your card left our warehouse today <b>& should arrive by Friday</b>.';
    expect((await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: reply })).statusCode).toBe(200);
    const mail = await waitFor(() => smtp.received[0], 'the e-mail');
    expect(mail.to).toEqual(['kim@example.net']);
    expect(mail.raw).toMatch(/^From: Support <support@example\.com>/m);
    const text = plainText(mail.raw);
    expect(text).toContain('Anna Schmidt replied to you:');
    expect(text).toContain(reply);
    // the HTML part shows the reply as text, never as markup
    const html = mimePart(mail.raw, 'html');
    expect(html).toContain('Your card left our warehouse today &lt;b&gt;&amp; should arrive by Friday&lt;/b&gt;.');
    expect(html).not.toContain('<b>');
    expect(html).toContain(`<a href="https://support.example.com/?chat=open&amp;conversation=${chat.conversationId}#token=`);
    const link = /https:\/\/support\.example\.com\/\?chat=open&conversation=([\w-]+)#token=([\w-]+)/.exec(text)!;
    expect(link[1]).toBe(chat.conversationId);
    const resumeToken = link[2];
    expect(resumeToken).not.toBe(chat.token);
    expect(resumeToken.length).toBeGreaterThanOrEqual(40);
    // the plain token is nowhere in the database (only its hash)
    const stored = JSON.stringify(await app.store.db.selectFrom('resume_tokens').selectAll().execute()) + JSON.stringify(await app.store.db.selectFrom('outbox').selectAll().execute());
    expect(stored).not.toContain(resumeToken);

    // following the link: the widget's API opens the conversation with the resume token, the reply is there
    const resumed = await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages?after=0`, headers: { authorization: `Bearer ${resumeToken}` } });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().messages.map((m: any) => m.text)).toContain(reply);
    // and the customer can write back in the chat with it
    const answer = await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${resumeToken}` }, payload: { text: 'Thanks!' } });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
    // it opens no other conversation
    const other = await claimedChat(app, anna, 'someone@example.org');
    const refused = await app.inject({ method: 'GET', url: `/api/chat/conversations/${other.conversationId}/messages?after=0`, headers: { authorization: `Bearer ${resumeToken}` } });
    expect(refused.statusCode).toBe(404);

    // the console shows that the reply went by e-mail
    const shown = await waitFor(async () => {
      const m = await agentMessage(anna, chat.conversationId, reply);
      return m?.deliveryState === 'sent' ? m : undefined;
    }, 'the sent state');
    expect(shown).toMatchObject({ deliveredBy: 'email', deliveryState: 'sent' });
  });

  it('is not e-mailed while the customer is connected, nor a minute after they left', async () => {
    const { app, clock, smtp, anna, base } = await setup();
    const chat = await claimedChat(app, anna);
    const socket = await openStream(base, chat);
    clock.current = new Date(MONDAY_MORNING.getTime() + 30 * 60_000);
    await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'Are you still there?' });
    await closeStream(socket);
    clock.current = new Date(clock.current.getTime() + 60_000);
    await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'One more thing' });
    await app.outbox.worker.drain();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toEqual([]);
    expect(await app.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    expect(await agentMessage(anna, chat.conversationId, 'Are you still there?')).not.toHaveProperty('deliveredBy');
  });

  it('goes by e-mail at once in the offline flow (the customer left their address to be answered at)', async () => {
    const { app, smtp, anna, base } = await setup();
    const res = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } });
    const chat = res.json() as { conversationId: string; token: string };
    await app.handoff.escalate({ conversationId: chat.conversationId, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    await app.repos.conversations.setCallbackContactOnce(chat.conversationId, 'later@example.net');
    await anna.post(`/api/agent/conversations/${chat.conversationId}/claim`);
    await openStream(base, chat);
    await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'Here is your answer' });
    const mail = await waitFor(() => smtp.received[0], 'the e-mail');
    expect(mail.to).toEqual(['later@example.net']);
    expect(plainText(mail.raw)).toContain('Here is your answer');
  });

  it('is retried after a temporary SMTP refusal and marked failed with the reason after a permanent one', async () => {
    const { app, clock, smtp, anna } = await setup();
    const chat = await claimedChat(app, anna);
    clock.current = new Date(MONDAY_MORNING.getTime() + 6 * 60_000);
    smtp.refuse.push({ code: 451, text: 'Try again later' }, { code: 550, text: 'Mailbox unavailable' });
    await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'Hello again' });

    const retrying = await waitFor(async () => {
      const job = await app.store.db.selectFrom('outbox').selectAll().executeTakeFirst();
      return job?.state === 'queued' && job.attempts === 1 ? job : undefined;
    }, 'the first attempt');
    expect(retrying.error).toMatch(/^SMTP 451/);
    expect(Date.parse(retrying.next_attempt_at)).toBeGreaterThan(clock.current.getTime());

    clock.current = new Date(clock.current.getTime() + 10 * 60_000);
    await app.outbox.worker.drain();
    const job = (await app.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow())!;
    expect(job).toMatchObject({ state: 'failed', attempts: 2 });
    expect(job.error).toMatch(/^SMTP 550.*Mailbox unavailable/);
    const shown = await agentMessage(anna, chat.conversationId, 'Hello again');
    expect(shown).toMatchObject({ deliveredBy: 'email', deliveryState: 'failed' });
    expect(shown.deliveryError).toMatch(/Mailbox unavailable/);
    expect(smtp.received).toEqual([]);
  });
});

describe('the link in a reply e-mail', () => {
  /** Anna answers a customer who left; the resume token from the e-mail's link. */
  async function emailedToken(app: FastifyInstance, clock: MovableClock, smtp: LoopbackSmtp, anna: AgentClient) {
    const chat = await claimedChat(app, anna);
    clock.current = new Date(clock.current.getTime() + 6 * 60_000);
    await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'Your parcel is on its way.' });
    const mail = await waitFor(() => smtp.received[0], 'the e-mail');
    const token = /#token=([\w-]+)/.exec(plainText(mail.raw))![1];
    return { conversationId: chat.conversationId, token, sentAt: clock.current };
  }
  const read = (app: FastifyInstance, conversationId: string, token: string) =>
    app.inject({ method: 'GET', url: `/api/chat/conversations/${conversationId}/messages?after=0`, headers: { authorization: `Bearer ${token}` } });
  const DAY = 24 * 60 * 60_000;

  it('opens the conversation for RESUME_LINK_DAYS (30) after the e-mail, then answers 410 with the reason', async () => {
    const { app, clock, smtp, anna } = await setup();
    const link = await emailedToken(app, clock, smtp, anna);
    const other = await claimedChat(app, anna, 'someone@example.org');

    clock.current = new Date(link.sentAt.getTime() + 30 * DAY - 60_000);
    expect((await read(app, link.conversationId, link.token)).statusCode).toBe(200);

    clock.current = new Date(link.sentAt.getTime() + 30 * DAY + 60_000);
    const expired = await read(app, link.conversationId, link.token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'Gone', message: expect.stringMatching(/link from an e-mail has expired.*Start a new one/) });
    const write = await app.inject({ method: 'POST', url: `/api/chat/conversations/${link.conversationId}/messages`, headers: { authorization: `Bearer ${link.token}` }, payload: { text: 'Hello?' } });
    expect(write.statusCode).toBe(410);
    // the customer can still start a new conversation
    expect((await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).statusCode).toBe(201);
    // an expired link says nothing about other conversations: there it is just a wrong token
    expect((await read(app, other.conversationId, link.token)).statusCode).toBe(404);
  });

  it('lasts as many days as RESUME_LINK_DAYS says, and a wrong token stays a plain 404', async () => {
    const smtp = await startLoopbackSmtp();
    servers.push(smtp);
    const { app, clock } = await startAt(MONDAY_MORNING, { SMTP_URL: smtp.url, RESUME_LINK_DAYS: '2' });
    const { id } = await addAgent(app, 'anna', 'Anna Schmidt');
    await agentOnline(app, id);
    const anna = await logIn(app, 'anna');
    const link = await emailedToken(app, clock, smtp, anna);

    clock.current = new Date(link.sentAt.getTime() + 2 * DAY - 60_000);
    expect((await read(app, link.conversationId, link.token)).statusCode).toBe(200);
    clock.current = new Date(link.sentAt.getTime() + 2 * DAY);
    expect((await read(app, link.conversationId, link.token)).statusCode).toBe(410);
    expect((await read(app, link.conversationId, 'x'.repeat(43))).statusCode).toBe(404);
  });
});

describe('without SMTP_URL', () => {
  it('sends no e-mail and the reply still reaches the chat', async () => {
    const { app } = await startAt(MONDAY_MORNING);
    const { id } = await addAgent(app, 'anna', 'Anna Schmidt');
    await agentOnline(app, id);
    const anna = await logIn(app, 'anna');
    const chat = await claimedChat(app, anna);
    expect((await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: 'Hi' })).statusCode).toBe(200);
    expect(await app.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });
});
