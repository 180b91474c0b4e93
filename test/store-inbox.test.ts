// The inbox search on both databases: case-insensitive on SQLite and PostgreSQL alike (PostgreSQL's LIKE is
// case-sensitive on its own, SQLite's lower() folds only A-Z), for umlauts and other letters too, LIKE wildcards
// typed by an agent are plain characters, and canned replies round-trip.
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
    const inbox = new InboxRepository(store.db, store.dialect);
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

  it('folds the case of umlauts and other non-ASCII letters both ways', async (ctx) => {
    const store = await stores.open(ctx);
    const customers = new CustomerRepository(store.db);
    const conversations = new ConversationRepository(store.db);
    const inbox = new InboxRepository(store.db, store.dialect);
    const make = async (visitor: string, text: string, name: string | null = null) => {
      const customerId = await customers.findOrCreate([{ kind: 'web', value: visitor }], name);
      const c = await conversations.create({ customerId, channel: 'web', locale: 'de' });
      await conversations.appendMessage(c.id, { author: 'customer', text });
      await conversations.transition(c.id, ['bot'], { status: 'queued', queued_at: new Date().toISOString() });
      return c.id;
    };
    const shouting = await make('v-1', 'VIEL ÄRGER MIT DER LIEFERUNG', 'FRAU MÜLLER');
    const quiet = await make('v-2', 'noch mehr ärger, schöne grüße', 'Jörg');
    const greek = await make('v-3', 'Ευχαριστώ ΠΟΛΎ');
    const search = async (q: string) => new Set((await inbox.page({ view: 'open', agentId: 1, search: q, limit: 10, offset: 0 })).conversations.map((c) => c.id));
    expect(await search('müller')).toEqual(new Set([shouting]));
    expect(await search('MÜLLER')).toEqual(new Set([shouting]));
    expect(await search('ärger')).toEqual(new Set([shouting, quiet]));
    expect(await search('ÄRGER')).toEqual(new Set([shouting, quiet]));
    expect(await search('SCHÖNE GRÜSSE')).toEqual(new Set());
    expect(await search('SCHÖNE GRÜ')).toEqual(new Set([quiet]));
    expect(await search('JÖRG')).toEqual(new Set([quiet]));
    expect(await search('πολύ')).toEqual(new Set([greek]));
    // wildcards stay plain characters in a search with umlauts too
    expect(await search('ä%r')).toEqual(new Set());
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
