// The agent's daily tools through the API: inbox views and search, transfer to a colleague with a note, an
// article sent as a card, canned replies (admins write, agents read), the console language, the page a chat
// started on, and a rating reaching the console live.
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn } from './helpers/agents.js';
import { fillPlaceholders, unknownPlaceholders } from '../server/handoff/placeholders.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'first-admin-pw', OPENING_HOURS: 'mon-sun 00:00-24:00' });
const start = () => startAt(MONDAY_MORNING);

async function queued(app: FastifyInstance, options: { text: string; name?: string; email?: string; claims?: { name?: string; email?: string; phone?: string } }) {
  const identities = [{ kind: 'web' as const, value: `visitor-${Math.random()}` }, ...(options.email ? [{ kind: 'email' as const, value: options.email }] : [])];
  const customerId = await app.repos.customers.findOrCreate(identities, options.name ?? null);
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en', claims: options.claims });
  await app.transcript.append(conversation.id, { author: 'customer', text: options.text });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  return conversation.id;
}

const ids = (response: { json(): any }) => response.json().conversations.map((c: any) => c.id);

describe('inbox views and search', () => {
  it('mine, unassigned, all open and resolved list the right conversations, a page at a time', async () => {
    const { app, clock } = await start();
    await addAgent(app, 'anna', 'Anna');
    await addAgent(app, 'ben', 'Ben');
    const anna = await logIn(app, 'anna');
    const ben = await logIn(app, 'ben');
    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.current = new Date(MONDAY_MORNING.getTime() + i * 60_000);
      waiting.push(await queued(app, { text: `question ${i}` }));
    }
    const annas = await queued(app, { text: 'for anna' });
    const bens = await queued(app, { text: 'for ben' });
    const done = await queued(app, { text: 'done already' });
    expect((await anna.post(`/api/agent/conversations/${annas}/claim`)).statusCode).toBe(200);
    expect((await ben.post(`/api/agent/conversations/${bens}/claim`)).statusCode).toBe(200);
    expect((await anna.post(`/api/agent/conversations/${done}/resolve`)).statusCode).toBe(200);

    expect(ids(await anna.get('/api/agent/inbox?view=mine'))).toEqual([annas]);
    expect(ids(await ben.get('/api/agent/inbox?view=mine'))).toEqual([bens]);
    expect(ids(await anna.get('/api/agent/inbox?view=unassigned'))).toEqual(waiting);
    expect(new Set(ids(await anna.get('/api/agent/inbox?view=open')))).toEqual(new Set([...waiting, annas, bens]));
    expect(ids(await anna.get('/api/agent/inbox?view=resolved'))).toEqual([done]);

    const first = (await anna.get('/api/agent/inbox?view=unassigned&limit=2')).json();
    expect(first.conversations.map((c: any) => c.id)).toEqual(waiting.slice(0, 2));
    expect(first.nextOffset).toBe(2);
    const second = (await anna.get(`/api/agent/inbox?view=unassigned&limit=2&offset=${first.nextOffset}`)).json();
    expect(second.conversations.map((c: any) => c.id)).toEqual(waiting.slice(2));
    expect(second.nextOffset).toBeNull();
    expect((await anna.get('/api/agent/inbox?view=everything')).statusCode).toBe(400);
    expect((await anna.get('/api/agent/inbox?view=open&limit=1000')).statusCode).toBe(400);
  });

  it('search finds a conversation by its text, the customer, a typed contact, an identity or an article; % and _ are literal', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const byText = await queued(app, { text: 'My Parcel is LATE' });
    const byName = await queued(app, { text: 'hello', name: 'Zoë Quast' });
    const byClaim = await queued(app, { text: 'hi', claims: { email: 'claimed.person@example.net' } });
    const byIdentity = await queued(app, { text: 'hey', email: 'verified@example.org' });
    const byArticle = await queued(app, { text: 'question' });
    await app.transcript.append(byArticle, { author: 'bot', text: 'This article should help:', payload: { articles: [{ id: 'delivery-times', title: 'How long does delivery take?', url: 'x' }] } });
    const discount = await queued(app, { text: 'Is the 50% discount valid?' });
    const plain = await queued(app, { text: 'Is the 500 discount valid?' });

    const search = async (q: string, view = 'open') => ids(await anna.get(`/api/agent/inbox?view=${view}&q=${encodeURIComponent(q)}`));
    expect(await search('parcel is late')).toEqual([byText]);
    expect(await search('zoë')).toEqual([byName]);
    expect(await search('claimed.person')).toEqual([byClaim]);
    expect(await search('verified@example')).toEqual([byIdentity]);
    expect(await search('how long does delivery')).toEqual([byArticle]);
    // as wildcards, '%' and '_' would also match "500 discount"
    expect(await search('50% d')).toEqual([discount]);
    expect(await search('50_ discount')).toEqual([]);
    expect(new Set(await search('0 discount'))).toEqual(new Set([plain]));
    expect(await search('parcel is late', 'resolved')).toEqual([]);
  });

  it('the queue and the inbox carry the seq of the latest customer message (for unread markers)', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const id = await queued(app, { text: 'first' });
    const latest = await app.transcript.append(id, { author: 'customer', text: 'second' });
    await app.transcript.append(id, { author: 'system', text: 'noise', internal: true });
    expect((await anna.get('/api/agent/queue')).json().conversations[0].lastCustomerSeq).toBe(latest.seq);
    expect((await anna.get('/api/agent/inbox?view=open')).json().conversations[0].lastCustomerSeq).toBe(latest.seq);
  });
});

describe('transfer to another agent', () => {
  it("moves the conversation with an internal note, tells the customer who is there now, and the colleague's console hears of it", async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const benAgent = await addAgent(app, 'ben', 'Ben');
    await addAgent(app, 'eddie', 'Eddie', 'correct horse', 'editor');
    const anna = await logIn(app, 'anna');
    const ben = await logIn(app, 'ben');
    const id = await queued(app, { text: 'refund please' });
    await anna.post(`/api/agent/conversations/${id}/claim`);

    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: ben.cookie } });
    const events: any[] = [];
    socket.on('message', (data: Buffer) => events.push(JSON.parse(String(data))));

    const colleagues = (await anna.get('/api/agent/agents')).json().agents.map((a: any) => a.name);
    expect(colleagues).toContain('Ben');
    expect(colleagues).not.toContain('Eddie');

    const eddie = (await app.agents.findByLogin('eddie'))!;
    expect((await anna.post(`/api/agent/conversations/${id}/transfer`, { agentId: eddie.id, note: 'x' })).statusCode).toBe(400);
    expect((await anna.post(`/api/agent/conversations/${id}/transfer`, { agentId: benAgent.id, note: '   ' })).statusCode).toBe(400);
    // Ben does not have it: he cannot pass it on
    expect((await ben.post(`/api/agent/conversations/${id}/transfer`, { agentId: benAgent.id, note: 'mine now' })).statusCode).toBe(409);

    const moved = await anna.post(`/api/agent/conversations/${id}/transfer`, { agentId: benAgent.id, note: 'Customer wants a refund; you handled the order.' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().conversation.assignedAgent).toEqual({ id: benAgent.id, name: 'Ben' });

    const transcript = (await ben.get(`/api/agent/conversations/${id}`)).json().messages;
    const note = transcript.find((m: any) => m.transfer);
    expect(note).toMatchObject({ internal: true, text: 'Customer wants a refund; you handled the order.', agentName: 'Anna', transfer: { fromName: 'Anna', toAgentId: benAgent.id, toName: 'Ben' } });
    const customerSees = await app.repos.conversations.messages(id);
    expect(customerSees.some((m) => m.text.includes('refund; you handled'))).toBe(false);
    expect(customerSees.at(-1)!.text).toContain('Ben');

    expect((await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'still me?' })).statusCode).toBe(409);
    expect((await ben.post(`/api/agent/conversations/${id}/reply`, { text: 'Hi, Ben here.' })).statusCode).toBe(200);
    expect(ids(await ben.get('/api/agent/inbox?view=mine'))).toEqual([id]);

    await expect.poll(() => events.some((e) => e.type === 'message' && e.message.transfer?.toAgentId === benAgent.id)).toBe(true);
    expect(events.some((e) => e.type === 'status' && e.conversationId === id && e.assignedAgentId === benAgent.id)).toBe(true);
    socket.terminate();
  });
});

describe('articles as cards', () => {
  it('an agent sends an article as the bot does: a card the customer gets with title, summary and link', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const started = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } });
    const { conversationId, token } = started.json();
    await app.inject({ method: 'POST', url: `/api/chat/conversations/${conversationId}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { action: 'handoff' } });
    expect((await anna.post(`/api/agent/conversations/${conversationId}/articles`, { articleId: 'delivery-times' })).statusCode).toBe(409); // not claimed yet
    await anna.post(`/api/agent/conversations/${conversationId}/claim`);
    const sent = await anna.post(`/api/agent/conversations/${conversationId}/articles`, { articleId: 'delivery-times' });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().message.articles[0]).toMatchObject({ id: 'delivery-times' });
    expect((await anna.post(`/api/agent/conversations/${conversationId}/articles`, { articleId: 'no-such-article' })).statusCode).toBe(400);

    const history = await app.inject({ method: 'GET', url: `/api/chat/conversations/${conversationId}/messages`, headers: { authorization: `Bearer ${token}` } });
    const card = history.json().messages.at(-1);
    expect(card.author).toBe('agent');
    expect(card.agentName).toBe('Anna');
    expect(card.articles).toEqual([expect.objectContaining({ id: 'delivery-times', title: expect.any(String), summary: expect.stringMatching(/\S/), url: expect.stringContaining('/help/') })]);
  });
});

describe('canned replies', () => {
  it('admins save, change and delete them; agents read them; nobody else writes them', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    await addAgent(app, 'ada', 'Ada', 'correct horse', 'admin');
    const anna = await logIn(app, 'anna');
    const ada = await logIn(app, 'ada');
    const body = { title: 'Greeting', body: 'Hello {{customer.name}}, {{agent.name}} here.', locale: 'en' };

    expect((await anna.post('/api/agent/canned-replies', body)).statusCode).toBe(403);
    const created = await ada.post('/api/agent/canned-replies', body);
    expect(created.statusCode).toBe(201);
    const id = created.json().reply.id;
    const typo = await ada.post('/api/agent/canned-replies', { title: 'Oops', body: 'Hi {{customer.nmae}}' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().message).toContain('{{customer.nmae}}');

    const listed = (await anna.get('/api/agent/canned-replies')).json();
    expect(listed.replies).toEqual([expect.objectContaining({ id, title: 'Greeting', body: body.body, locale: 'en' })]);
    expect(listed.placeholders).toContain('{{customer.name}}');

    const put = (client: typeof ada, payload: unknown) => app.inject({ method: 'PUT', url: `/api/agent/canned-replies/${id}`, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken }, payload: payload as any });
    const del = (client: typeof ada, target = id) => app.inject({ method: 'DELETE', url: `/api/agent/canned-replies/${target}`, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken } });
    expect((await put(anna, { ...body, title: 'Mine now' })).statusCode).toBe(403);
    expect((await put(ada, { ...body, title: 'Welcome' })).json().reply.title).toBe('Welcome');
    expect((await app.inject({ method: 'DELETE', url: `/api/agent/canned-replies/${id}`, headers: { cookie: ada.cookie } })).statusCode).toBe(403); // no CSRF token
    expect((await del(anna)).statusCode).toBe(403);
    expect((await del(ada)).statusCode).toBe(204);
    expect((await del(ada)).statusCode).toBe(404);
    expect((await anna.get('/api/agent/canned-replies')).json().replies).toEqual([]);
  });

  it('placeholders are filled as plain text; a missing value leaves no gap; unknown ones are reported', () => {
    expect(fillPlaceholders('Hello {{customer.name}}, {{ agent.name }} here.', { 'customer.name': 'Kim <b>', 'agent.name': 'Anna' })).toBe('Hello Kim <b>, Anna here.');
    expect(fillPlaceholders('Hello {{customer.name}}, how can I help?', {})).toBe('Hello, how can I help?');
    expect(fillPlaceholders('{{unknown.thing}} stays', {})).toBe('{{unknown.thing}} stays');
    expect(unknownPlaceholders('{{customer.name}} {{customer.nmae}} {{agent}}')).toEqual(['customer.nmae', 'agent']);
  });
});

describe('the console language', () => {
  it('is the agent\'s choice, stored on the agent: the page and /me follow it', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    expect((await anna.get('/api/agent/me')).json().locale).toBe('en');
    const patch = (payload: unknown) => app.inject({ method: 'PATCH', url: '/api/agent/me', headers: { cookie: anna.cookie, 'x-csrf-token': anna.csrfToken }, payload: payload as any });
    expect((await patch({ locale: 'fr' })).statusCode).toBe(400);
    expect((await patch({ locale: 'de' })).statusCode).toBe(200);
    expect((await anna.get('/api/agent/me')).json().locale).toBe('de');
    const page = await anna.get('/agent');
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('Abmelden');
    // a new session (another device) keeps the choice
    expect((await (await logIn(app, 'anna')).get('/api/agent/me')).json().locale).toBe('de');
  });
});

describe('what the customer told us', () => {
  it('the page a chat started on is kept (http/https, limited length) and shown to agents as a claim', async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const begin = (pageUrl: string) => app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', pageUrl } });
    expect((await begin('javascript:alert(1)')).statusCode).toBe(400);
    expect((await begin(`https://shop.example/${'a'.repeat(600)}`)).statusCode).toBe(400);
    const started = await begin('https://shop.example/checkout');
    expect(started.statusCode).toBe(201);
    const detail = (await anna.get(`/api/agent/conversations/${started.json().conversationId}`)).json();
    expect(detail.conversation.pageUrl).toBe('https://shop.example/checkout');
  });

  it("a resolved conversation's rating reaches the console live", async () => {
    const { app } = await start();
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const started = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
    const auth = { authorization: `Bearer ${started.token}` };
    await app.inject({ method: 'POST', url: `/api/chat/conversations/${started.conversationId}/messages`, headers: auth, payload: { action: 'handoff' } });
    await anna.post(`/api/agent/conversations/${started.conversationId}/claim`);
    await anna.post(`/api/agent/conversations/${started.conversationId}/resolve`);
    const socket = await (app as any).injectWS('/api/agent/stream', { headers: { cookie: anna.cookie } });
    const events: any[] = [];
    socket.on('message', (data: Buffer) => events.push(JSON.parse(String(data))));
    expect((await app.inject({ method: 'POST', url: `/api/chat/conversations/${started.conversationId}/rating`, headers: auth, payload: { stars: 4 } })).statusCode).toBe(204);
    await expect.poll(() => events.find((e) => e.type === 'rating')).toEqual({ type: 'rating', conversationId: started.conversationId, rating: 4 });
    expect((await anna.get('/api/agent/inbox?view=resolved')).json().conversations[0]).toMatchObject({ id: started.conversationId, rating: 4 });
    socket.terminate();
  });
});
