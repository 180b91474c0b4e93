// The inbox search on both databases: case-insensitive on SQLite and PostgreSQL alike (PostgreSQL's LIKE is
// case-sensitive on its own), LIKE wildcards typed by an agent are plain characters, and canned replies round-trip.
import { describe, expect, it } from 'vitest';
import { ConversationRepository } from '../server/store/conversations.js';
import { CustomerRepository } from '../server/store/customers.js';
import { InboxRepository } from '../server/store/inbox.js';
import { CannedReplyRepository } from '../server/store/canned-replies.js';
import { dialects, storePerTest } from './helpers/services.js';

describe.each(dialects)('inbox search on $name', (dialect) => {
  const stores = storePerTest(dialect);

  it('finds text, names, claims and identities whatever the case; % _ and \\ are literal', async (ctx) => {
    const store = await stores.open(ctx);
    const customers = new CustomerRepository(store.db);
    const conversations = new ConversationRepository(store.db);
    const inbox = new InboxRepository(store.db);
    const make = async (text: string, options: { name?: string; email?: string; claims?: { name?: string } } = {}) => {
      const customerId = await customers.findOrCreate([{ kind: 'web', value: `v-${text}` }, ...(options.email ? [{ kind: 'email' as const, value: options.email }] : [])], options.name ?? null);
      const c = await conversations.create({ customerId, channel: 'web', locale: 'de', claims: options.claims });
      await conversations.appendMessage(c.id, { author: 'customer', text });
      await conversations.transition(c.id, ['bot'], { status: 'queued', queued_at: new Date().toISOString() });
      return c.id;
    };
    const umlaut = await make('Wo ist mein PAKET?', { name: 'Jörg Älter' });
    const percent = await make('100% sicher');
    const plain = await make('1000 sicher');
    const backslash = await make('C:\\temp\\x');
    const claimed = await make('hallo', { claims: { name: 'Maria Typed' } });
    const identity = await make('moin', { email: 'Someone@Example.org' });
    const search = async (q: string) => (await inbox.page({ view: 'open', agentId: 1, search: q, limit: 10, offset: 0 })).conversations.map((c) => c.id);
    expect(await search('paket')).toEqual([umlaut]);
    expect(await search('jörg')).toEqual([umlaut]);
    expect(await search('100% s')).toEqual([percent]);
    expect(await search('10_0')).toEqual([]);
    expect(new Set(await search('sicher'))).toEqual(new Set([percent, plain]));
    expect(await search('c:\\temp')).toEqual([backslash]);
    expect(await search('maria typed')).toEqual([claimed]);
    expect(await search('someone@example')).toEqual([identity]);
  });

  it('keeps canned replies', async (ctx) => {
    const store = await stores.open(ctx);
    await store.db.insertInto('agents').values({ login: 'ada', display_name: 'Ada', password_hash: 'x', role: 'admin', created_at: new Date().toISOString() }).execute();
    const agent = await store.db.selectFrom('agents').select('id').executeTakeFirstOrThrow();
    const canned = new CannedReplyRepository(store.db);
    const reply = await canned.create({ title: 'Gruß', body: 'Hallo {{customer.name}}', locale: 'de' }, agent.id);
    expect(await canned.list()).toEqual([expect.objectContaining({ id: reply.id, title: 'Gruß', locale: 'de' })]);
    expect(await canned.update(reply.id, { title: 'Hallo', body: 'Hi', locale: null })).toMatchObject({ title: 'Hallo' });
    expect(await canned.delete(reply.id)).toBe(true);
    expect(await canned.list()).toEqual([]);
  });
});
