// botbuilder Storage on the bot_state table, on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { ConversationState, TestAdapter } from 'botbuilder';
import type { Store } from '../server/store/database.js';
import { BotStorage } from '../server/store/bot-storage.js';
import { dialects, storePerTest } from './helpers/services.js';

describe.each(dialects)('bot storage on $name', (dialect) => {
  const stores = storePerTest(dialect);
  let store: Store | undefined;

  async function fresh(ctx: { skip: () => void }) {
    store = await stores.open(ctx);
    return new BotStorage(store.db);
  }

  it('reads back what it wrote, with an eTag, and nothing for unknown keys', async (ctx) => {
    const storage = await fresh(ctx);
    await storage.write({ a: { count: 1, nested: { list: [1, 2] } } });
    const items = await storage.read(['a', 'missing']);
    expect(Object.keys(items)).toEqual(['a']);
    expect(items.a).toMatchObject({ count: 1, nested: { list: [1, 2] } });
    expect(typeof items.a.eTag).toBe('string');
    expect(await storage.read([])).toEqual({});
  });

  it('a write with the current eTag succeeds and changes the eTag', async (ctx) => {
    const storage = await fresh(ctx);
    await storage.write({ a: { count: 1 } });
    const first = (await storage.read(['a'])).a;
    await storage.write({ a: { ...first, count: 2 } });
    const second = (await storage.read(['a'])).a;
    expect(second.count).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('a write with a stale eTag throws and changes nothing', async (ctx) => {
    const storage = await fresh(ctx);
    await storage.write({ a: { count: 1 } });
    const stale = (await storage.read(['a'])).a;
    await storage.write({ a: { ...stale, count: 2 } });
    await expect(storage.write({ a: { ...stale, count: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['a'])).a.count).toBe(2);
  });

  it('"*" overwrites whatever is stored', async (ctx) => {
    const storage = await fresh(ctx);
    await storage.write({ a: { count: 1 } });
    await storage.write({ a: { count: 5, eTag: '*' } });
    expect((await storage.read(['a'])).a.count).toBe(5);
  });

  it('deletes items', async (ctx) => {
    const storage = await fresh(ctx);
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });

  it('ConversationState survives a new storage instance on the same database', async (ctx) => {
    const storage = await fresh(ctx);
    const remember = async (s: BotStorage, value?: string) => {
      const state = new ConversationState(s);
      const property = state.createProperty<{ seen?: string }>('memory');
      let read: string | undefined;
      const adapter = new TestAdapter(async (context) => {
        const memory = await property.get(context, {});
        read = memory.seen;
        if (value) memory.seen = value;
        await state.saveChanges(context);
      });
      await adapter.receiveActivity('hi');
      return read;
    };
    await remember(storage, 'the card question');
    expect(await remember(new BotStorage(store!.db))).toBe('the card question');
  });
});
