// Who a web chat belongs to: contact details a customer types are unverified claims on the conversation,
// never a way into another customer's record; only verified identities link (the browser's visitor id,
// or the host site's user id signed with IDENTITY_VERIFICATION_SECRET).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn } from './helpers/agents.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const SECRET = 'a-secret-of-the-shop-that-is-long-enough-0123456789';
const startAt = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });
const start = (env: Record<string, string> = {}) => startAt(MONDAY_MORNING, env);

function startChat(app: FastifyInstance, body: object) {
  return app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', ...body } });
}

async function ask(app: FastifyInstance, chat: { conversationId: string; token: string }, text: string) {
  const res = await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${chat.token}` }, payload: { text } });
  expect(res.statusCode).toBe(200);
}

const sign = (id: string, secret = SECRET) => createHmac('sha256', secret).update(id).digest('hex');

describe('contact details typed in the chat are claims', () => {
  it("a stranger who types Alice's e-mail and phone does not get Alice's record or her conversations; the agent sees the claims as unverified", async () => {
    const { app } = await start();
    // Alice: her own browser, her e-mail on record, and a conversation of hers
    const aliceId = await app.repos.customers.findOrCreate([{ kind: 'web', value: 'alice-browser-1' }, { kind: 'email', value: 'alice@example.com' }, { kind: 'phone', value: '+491701234567' }], 'Alice');
    const alices = await startChat(app, { visitorId: 'alice-browser-1' });
    await ask(app, alices.json(), 'My card has not arrived, my IBAN ends in 4711');

    const res = await startChat(app, { customer: { name: 'Alice', email: 'Alice@Example.com', phone: '+49 170 1234567' } });
    expect(res.statusCode).toBe(201);
    const stranger = res.json();
    await ask(app, stranger, 'Please change my delivery address');
    const conversation = await app.repos.conversations.get(stranger.conversationId);
    expect(conversation?.customer_id).not.toBe(aliceId);
    expect(conversation).toMatchObject({ claimed_name: 'Alice', claimed_email: 'Alice@Example.com', claimed_phone: '+49 170 1234567' });
    expect((await app.repos.customers.get(aliceId))?.identities).toEqual([
      { kind: 'web', value: 'alice-browser-1' },
      { kind: 'email', value: 'alice@example.com' },
      { kind: 'phone', value: '+491701234567' },
    ]);

    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const detail = (await anna.get(`/api/agent/conversations/${stranger.conversationId}`)).json();
    expect(detail.customer).toEqual({ id: conversation!.customer_id, name: null, identities: [{ kind: 'web', value: stranger.visitorId }] });
    expect(detail.conversation.claims).toEqual({ name: 'Alice', email: 'Alice@Example.com', phone: '+49 170 1234567' });
    expect(detail.otherConversations).toEqual([]);
    const alicesDetail = (await anna.get(`/api/agent/conversations/${alices.json().conversationId}`)).json();
    expect(alicesDetail.customer.id).toBe(aliceId);
    expect(alicesDetail.otherConversations).toEqual([]);
  });

  it('a callback contact left outside opening hours is kept on the conversation, not linked to any customer', async () => {
    const { app } = await start({ OPENING_HOURS: 'mon 00:00-00:01' });
    const chat = (await startChat(app, {})).json();
    await ask(app, chat, 'I want to talk to a person');
    expect((await app.repos.conversations.get(chat.conversationId))?.status).toBe('queued');
    await ask(app, chat, 'write to newcomer@example.org please');
    expect((await app.repos.conversations.get(chat.conversationId))?.callback_contact).toBe('newcomer@example.org');
    expect(await app.repos.customers.findByIdentity({ kind: 'email', value: 'newcomer@example.org' })).toBeUndefined();
  });
});

describe('identity verification for signed-in users of the host site', () => {
  it('a signed user id links conversations from different browsers to one customer', async () => {
    const { app } = await start({ IDENTITY_VERIFICATION_SECRET: SECRET });
    const user = { id: 'shop-user-42', hash: sign('shop-user-42') };
    const fromLaptop = await startChat(app, { visitorId: 'laptop-visitor-1', user });
    const fromPhone = await startChat(app, { visitorId: 'phone-visitor-1', user });
    expect([fromLaptop.statusCode, fromPhone.statusCode]).toEqual([201, 201]);
    const a = await app.repos.conversations.get(fromLaptop.json().conversationId);
    const b = await app.repos.conversations.get(fromPhone.json().conversationId);
    expect(b?.customer_id).toBe(a?.customer_id);
    const customer = await app.repos.customers.get(a!.customer_id);
    expect(customer?.identities).toEqual([
      { kind: 'user', value: 'shop-user-42' },
      { kind: 'web', value: 'laptop-visitor-1' },
      { kind: 'web', value: 'phone-visitor-1' },
    ]);
  });

  it("a browser another customer used before does not pull the signed-in user into that customer's record", async () => {
    const { app } = await start({ IDENTITY_VERIFICATION_SECRET: SECRET });
    const before = (await startChat(app, { visitorId: 'shared-computer-1' })).json();
    const signedIn = (await startChat(app, { visitorId: 'shared-computer-1', user: { id: 'bob', hash: sign('bob') } })).json();
    const a = await app.repos.conversations.get(before.conversationId);
    const b = await app.repos.conversations.get(signedIn.conversationId);
    expect(b?.customer_id).not.toBe(a?.customer_id);
    expect(await app.repos.customers.findByIdentity({ kind: 'user', value: 'bob' })).toBe(b?.customer_id);
  });

  it('a wrong hash is refused with 403 and a reason, and nothing is created', async () => {
    const { app } = await start({ IDENTITY_VERIFICATION_SECRET: SECRET });
    for (const hash of [sign('someone-else'), sign('shop-user-42', 'another-secret-of-at-least-32-characters'), 'not-hex']) {
      const res = await startChat(app, { user: { id: 'shop-user-42', hash } });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/hash does not match/);
    }
    expect(await app.repos.customers.findByIdentity({ kind: 'user', value: 'shop-user-42' })).toBeUndefined();
    expect(await app.store.db.selectFrom('conversations').select('id').execute()).toEqual([]);
  });

  it('without IDENTITY_VERIFICATION_SECRET user ids are refused with 400 naming the setting', async () => {
    const { app } = await start();
    const res = await startChat(app, { user: { id: 'shop-user-42', hash: sign('shop-user-42') } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/IDENTITY_VERIFICATION_SECRET is not set/);
  });
});
