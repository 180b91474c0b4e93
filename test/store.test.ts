import { describe, expect, it } from 'vitest';
import type { Store } from '../server/store/database.js';
import { ConversationRepository, DuplicateMessageError } from '../server/store/conversations.js';
import { CustomerRepository } from '../server/store/customers.js';
import { AnalyticsRepository } from '../server/store/events.js';
import { dialects, storePerTest } from './helpers/services.js';

describe.each(dialects)('store on $name', (dialect) => {
  const stores = storePerTest(dialect);
  let store: Store | undefined;

  async function fresh(ctx: { skip: () => void }) {
    store = await stores.open(ctx);
    return {
      customers: new CustomerRepository(store.db),
      conversations: new ConversationRepository(store.db),
      analytics: new AnalyticsRepository(store.db),
    };
  }

  it('runs its migrations and answers a ping', async (ctx) => {
    await fresh(ctx);
    expect(await store!.ping()).toBe(true);
  });

  it('finds the same customer again by any identity they gave, normalised', async (ctx) => {
    const { customers } = await fresh(ctx);
    const id = await customers.findOrCreate([{ kind: 'web', value: 'visitor-1' }, { kind: 'email', value: 'Anna@Example.com ' }], 'Anna');
    expect(await customers.findOrCreate([{ kind: 'email', value: 'anna@example.com' }])).toBe(id);
    const other = await customers.findOrCreate([{ kind: 'phone', value: '+49 40 1234567' }]);
    expect(other).not.toBe(id);
    expect(await customers.findByIdentity({ kind: 'phone', value: '+49401234567' })).toBe(other);
    const customer = await customers.get(id);
    expect(customer?.display_name).toBe('Anna');
    expect(customer?.identities).toEqual([{ kind: 'web', value: 'visitor-1' }, { kind: 'email', value: 'anna@example.com' }]);
  });

  it('numbers messages in order, even when written concurrently, and hides internal notes from customers', async (ctx) => {
    const { customers, conversations } = await fresh(ctx);
    const customerId = await customers.findOrCreate([{ kind: 'web', value: 'v' }]);
    const conversation = await conversations.create({ customerId, channel: 'web', locale: 'de' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => conversations.appendMessage(conversation.id, { author: 'customer', text: `m${i}` })));
    await conversations.appendMessage(conversation.id, { author: 'agent', text: 'note', internal: true });
    const visible = await conversations.messages(conversation.id);
    expect(visible.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(visible.map((m) => m.text)).size).toBe(20);
    const all = await conversations.messages(conversation.id, { includeInternal: true });
    expect(all.at(-1)).toMatchObject({ seq: 21, internal: true, text: 'note' });
    expect(await conversations.messages(conversation.id, { afterSeq: 18 })).toHaveLength(2);
  });

  it('keeps structured payloads', async (ctx) => {
    const { customers, conversations } = await fresh(ctx);
    const conversation = await conversations.create({ customerId: await customers.findOrCreate([{ kind: 'web', value: 'v2' }]), channel: 'web', locale: 'en' });
    await conversations.appendMessage(conversation.id, { author: 'bot', text: 'Here', payload: { articles: [{ id: 'a', title: 'Ä' }] } });
    const [message] = await conversations.messages(conversation.id);
    expect(message.payload).toEqual({ articles: [{ id: 'a', title: 'Ä' }] });
  });

  it('moves a conversation between statuses only from the expected one', async (ctx) => {
    const { customers, conversations } = await fresh(ctx);
    const conversation = await conversations.create({ customerId: await customers.findOrCreate([{ kind: 'web', value: 'v3' }]), channel: 'web', locale: 'en' });
    expect(await conversations.transition(conversation.id, ['bot'], { status: 'queued', escalation_reason: 'customer_request' })).toBe(true);
    expect(await conversations.transition(conversation.id, ['bot'], { status: 'queued' })).toBe(false);
    expect((await conversations.get(conversation.id))?.status).toBe('queued');
  });

  it('stores search events and feedback', async (ctx) => {
    const { analytics } = await fresh(ctx);
    await analytics.recordSearch({ query: 'Wo ist mein Paket?', locale: 'de', channel: 'api', topArticleId: 'order-status', score: 1.5 });
    await analytics.recordFeedback({ articleId: 'order-status', locale: 'de', helpful: false, channel: 'web', comment: 'zu kurz' });
    const events = await store!.db.selectFrom('search_events').selectAll().execute();
    const feedback = await store!.db.selectFrom('feedback').selectAll().execute();
    expect(events).toMatchObject([{ query: 'Wo ist mein Paket?', top_article_id: 'order-status', score: 1.5 }]);
    expect(feedback).toMatchObject([{ article_id: 'order-status', helpful: 0, comment: 'zu kurz' }]);
  });
});

describe.each(dialects)('message external ids on $name', (dialect) => {
  const stores = storePerTest(dialect);

  async function conversationOf(ctx: { skip: () => void }) {
    const store = await stores.open(ctx);
    const customers = new CustomerRepository(store.db);
    const conversations = new ConversationRepository(store.db);
    const customerId = await customers.findOrCreate([{ kind: 'web', value: 'visitor-ext' }]);
    return { conversations, customerId, conversation: await conversations.create({ customerId, channel: 'web', locale: 'en' }) };
  }

  it('stores a message with an external id once: the second append is a DuplicateMessageError and takes no seq', async (ctx) => {
    const { conversations, conversation } = await conversationOf(ctx);
    const first = await conversations.appendMessage(conversation.id, { author: 'customer', text: 'hi', externalId: 'SM123' });
    await expect(conversations.appendMessage(conversation.id, { author: 'customer', text: 'hi', externalId: 'SM123' })).rejects.toBeInstanceOf(DuplicateMessageError);
    expect(await conversations.messageByExternalId(conversation.id, 'SM123')).toEqual(first);
    const next = await conversations.appendMessage(conversation.id, { author: 'bot', text: 'hello' });
    expect(next.seq).toBe(2);
    expect((await conversations.get(conversation.id))?.last_seq).toBe(2);
  });

  it('many messages without an external id, and the same id in another conversation, are all stored', async (ctx) => {
    const { conversations, conversation, customerId } = await conversationOf(ctx);
    await conversations.appendMessage(conversation.id, { author: 'bot', text: 'a' });
    await conversations.appendMessage(conversation.id, { author: 'bot', text: 'b', externalId: null });
    await conversations.appendMessage(conversation.id, { author: 'customer', text: 'c', externalId: 'same-id' });
    const other = await conversations.create({ customerId, channel: 'web', locale: 'en' });
    await conversations.appendMessage(other.id, { author: 'customer', text: 'c', externalId: 'same-id' });
    expect(await conversations.messages(conversation.id)).toHaveLength(3);
    expect(await conversations.messages(other.id)).toHaveLength(1);
  });

  it('of concurrent appends with the same external id exactly one is stored', async (ctx) => {
    const { conversations, conversation } = await conversationOf(ctx);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => conversations.appendMessage(conversation.id, { author: 'customer', text: 'once', externalId: 'SMrace' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateMessageError);
    expect((await conversations.messages(conversation.id)).map((m) => m.text)).toEqual(['once']);
  });
});
