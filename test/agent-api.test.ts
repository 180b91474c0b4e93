import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, agentOnline, logIn } from './helpers/agents.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });
const start = () => startAt(MONDAY_MORNING);

/** A web conversation as the bot leaves it: a question, an answer with an article, "No", then the handoff. */
async function escalatedWebConversation(app: FastifyInstance, visitor = 'visitor-1', phone?: string) {
  const identities = [{ kind: 'web' as const, value: visitor }, ...(phone ? [{ kind: 'phone' as const, value: phone }] : [])];
  const customerId = await app.repos.customers.findOrCreate(identities, 'Kim Meyer');
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
  const t = app.transcript;
  await t.append(conversation.id, { author: 'customer', text: 'My card has not arrived' });
  await t.append(conversation.id, { author: 'bot', text: 'This article might help:', payload: { decision: 'answer', articles: [{ id: 'card-arrival', title: 'When will my card arrive?', summary: '3 to 5 days', url: 'http://localhost:3000/help/en/card-arrival' }] } });
  await t.append(conversation.id, { author: 'customer', text: 'No', payload: { action: 'feedback:no' } });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'not_helpful', {
    offeredArticleIds: ['card-arrival'],
    feedback: [{ articleId: 'card-arrival', helpful: false }],
  });
  return { conversationId: conversation.id, customerId };
}

describe('the agent API', () => {
  it('lists the queue with channel, customer, waiting time, reason and first question', async () => {
    const { app, clock } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const { conversationId } = await escalatedWebConversation(app);
    clock.current = new Date(MONDAY_MORNING.getTime() + 90_000);
    const queue = (await anna.get('/api/agent/queue')).json();
    expect(queue.conversations).toHaveLength(1);
    expect(queue.conversations[0]).toMatchObject({
      id: conversationId,
      channel: 'web',
      status: 'queued',
      reason: 'not_helpful',
      waitingSeconds: 90,
      firstQuestion: 'My card has not arrived',
      customer: { name: 'Kim Meyer', identities: [{ kind: 'web', value: 'visitor-1' }] },
      assignedAgent: null,
    });
  });

  it('shows the whole conversation: bot turns with articles, feedback, the escalation, notes, and the customer on every channel', async () => {
    const { app } = await start();
    await agentOnline(app, (await addAgent(app, 'anna', 'Anna')).id);
    const anna = await logIn(app, 'anna');
    const { conversationId, customerId } = await escalatedWebConversation(app, 'visitor-1', '+491701234567');
    // the same customer texted us earlier from the phone number they gave on the web
    const sms = await app.repos.conversations.create({ customerId: await app.repos.customers.findOrCreate([{ kind: 'phone', value: '+49 170 1234567' }]), channel: 'sms', locale: 'en' });
    await app.transcript.append(sms.id, { author: 'customer', text: 'Card PIN?' });
    // somebody else, never merged
    const stranger = await app.repos.customers.findOrCreate([{ kind: 'web', value: 'visitor-2' }]);
    await app.repos.conversations.create({ customerId: stranger, channel: 'web', locale: 'en' });

    expect((await anna.post(`/api/agent/conversations/${conversationId}/claim`)).statusCode).toBe(200);
    expect((await anna.post(`/api/agent/conversations/${conversationId}/notes`, { text: 'asked twice already' })).statusCode).toBe(200);

    const detail = (await anna.get(`/api/agent/conversations/${conversationId}`)).json();
    expect(detail.customer).toEqual({ id: customerId, name: 'Kim Meyer', identities: [{ kind: 'web', value: 'visitor-1' }, { kind: 'phone', value: '+491701234567' }] });
    expect(detail.conversation).toMatchObject({ status: 'assigned', assignedAgent: { name: 'Anna' }, reason: 'not_helpful' });
    expect(detail.escalation).toEqual({
      reason: 'not_helpful',
      offline: false,
      offered: [{ id: 'card-arrival', title: 'When will my card arrive?', url: 'http://localhost:3000/help/en/card-arrival' }],
      feedback: [{ articleId: 'card-arrival', title: 'When will my card arrive?', helpful: false }],
    });
    const byText = (text: string) => detail.messages.find((m: any) => m.text === text);
    expect(byText('This article might help:')).toMatchObject({ author: 'bot', decision: 'answer', articles: [{ id: 'card-arrival' }] });
    expect(byText('No')).toMatchObject({ author: 'customer', feedback: 'not_helpful' });
    expect(byText('asked twice already')).toMatchObject({ author: 'agent', internal: true, agentName: 'Anna' });
    expect(detail.otherConversations).toEqual([expect.objectContaining({ id: sms.id, channel: 'sms', firstQuestion: 'Card PIN?' })]);
  });

  it('a lost claim is a 409 that says who has the conversation', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    await addAgent(app, 'ben', 'Ben');
    const [anna, ben] = [await logIn(app, 'anna'), await logIn(app, 'ben')];
    const { conversationId } = await escalatedWebConversation(app);
    const [first, second] = await Promise.all([anna.post(`/api/agent/conversations/${conversationId}/claim`), ben.post(`/api/agent/conversations/${conversationId}/claim`)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const lost = first.statusCode === 409 ? first : second;
    const winner = first.statusCode === 200 ? 'Anna' : 'Ben';
    expect(lost.json()).toMatchObject({ statusCode: 409, message: `${winner} has already claimed this conversation`, assignedAgent: { name: winner } });
    expect((await anna.post('/api/agent/conversations/nope/claim')).statusCode).toBe(404);
  });

  it('reply, hand back and resolve, as the customer sees them', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    await addAgent(app, 'ben', 'Ben');
    const anna = await logIn(app, 'anna');
    const ben = await logIn(app, 'ben');
    const { conversationId } = await escalatedWebConversation(app);
    const url = `/api/agent/conversations/${conversationId}`;

    expect((await anna.post(`${url}/reply`, { text: 'Before claiming' })).statusCode).toBe(409);
    await anna.post(`${url}/claim`);
    expect((await ben.post(`${url}/reply`, { text: 'Not mine' })).statusCode).toBe(409);
    expect((await anna.post(`${url}/reply`, { text: '   ' })).statusCode).toBe(400);
    const reply = await anna.post(`${url}/reply`, { text: 'Hi Kim, I checked: it ships today.' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().message).toMatchObject({ author: 'agent', agentName: 'Anna', internal: false });

    const handBack = await anna.post(`${url}/hand-back`);
    expect(handBack.json().conversation).toMatchObject({ status: 'bot', assignedAgent: null });
    await app.handoff.escalate({ conversationId, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    const resolved = await ben.post(`${url}/resolve`);
    expect(resolved.json().conversation.status).toBe('resolved');
    expect((await ben.post(`${url}/resolve`)).statusCode).toBe(409);

    const customerView = await app.repos.conversations.messages(conversationId);
    expect(customerView.filter((m) => m.author !== 'customer' && m.author !== 'bot').map((m) => m.text)).toEqual([
      'Anna has joined the conversation.',
      'Hi Kim, I checked: it ships today.',
      "You're back with our digital assistant. Feel free to ask anything else.",
      'This conversation is closed. How did we do? Please rate us from 1 to 5 stars.',
    ]);
  });

  it('searches the KB for a canned answer', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const response = await anna.get('/api/agent/kb/search?q=' + encodeURIComponent('How much does shipping cost?') + '&locale=en');
    expect(response.statusCode).toBe(200);
    const { hits } = response.json();
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0].url).toMatch(/^http/);
    for (const hit of hits) expect(Object.keys(hit).sort()).toEqual(['id', 'summary', 'title', 'url']);
  });

  it('documents every agent route in OpenAPI under the agent tag', async () => {
    const { app } = await start();
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const agentPaths = Object.keys(spec.paths).filter((p) => p.startsWith('/api/agent'));
    expect(agentPaths.sort()).toEqual([
      '/api/agent/admin/agents',
      '/api/agent/admin/agents/{id}/disable',
      '/api/agent/admin/agents/{id}/enable',
      '/api/agent/admin/agents/{id}/password',
      '/api/agent/admin/agents/{id}/role',
      '/api/agent/agents',
      '/api/agent/canned-replies',
      '/api/agent/canned-replies/{id}',
      '/api/agent/conversations/{id}',
      '/api/agent/conversations/{id}/articles',
      '/api/agent/conversations/{id}/attachments',
      '/api/agent/conversations/{id}/attachments/{attachmentId}',
      '/api/agent/conversations/{id}/claim',
      '/api/agent/conversations/{id}/hand-back',
      '/api/agent/conversations/{id}/notes',
      '/api/agent/conversations/{id}/reply',
      '/api/agent/conversations/{id}/resolve',
      '/api/agent/conversations/{id}/transfer',
      '/api/agent/inbox',
      '/api/agent/kb/learned',
      '/api/agent/kb/learned/{id}',
      '/api/agent/kb/search',
      '/api/agent/me',
      '/api/agent/presence',
      '/api/agent/queue',
    ]);
    for (const p of agentPaths) for (const op of Object.values(spec.paths[p]) as any[]) expect(op.tags).toEqual(['agent']);
  });
});

describe('the agent stream', () => {
  it('pushes new queued conversations and messages (with notes) to a logged-in agent', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: anna.cookie } });
    const received: any[] = [];
    socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
    const { conversationId } = await escalatedWebConversation(app);
    await expectEventually(() => received.some((e) => e.type === 'status' && e.status === 'queued' && e.conversationId === conversationId));
    await app.handoff.note(conversationId, (await app.agents.findByLogin('anna'))!, 'internal');
    await expectEventually(() => received.some((e) => e.type === 'message' && e.message.internal && e.message.text === 'internal'));
    socket.terminate();
  });

  it('closes the live socket when its agent logs out, so nothing more reaches that browser', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: anna.cookie } });
    const closed = new Promise<number>((resolve) => socket.on('close', (code: number) => resolve(code)));
    const logout = await anna.post('/agent/logout', {});
    expect(logout.statusCode).toBe(303);
    expect(await closed).toBe(4401);
  });

  it('refuses a handshake without a session, and one from another site', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    await expect((app as any).injectWS('/api/agent/stream')).rejects.toThrow(/401/);
    await expect((app as any).injectWS('/api/agent/stream', { headers: { cookie: anna.cookie, origin: 'https://evil.example' } })).rejects.toThrow(/403/);
  });
});

async function expectEventually(check: () => boolean, timeoutMs = 3000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
