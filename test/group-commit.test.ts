// SQLite's group commit: writes wait in one open transaction, committed once per event-loop turn; another
// connection (another process, a backup) sees them only after the commit that durable() waits for; events
// queued with afterCommit run after it, in order; a rolled-back transaction (or turn) drops only its own writes.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../server/store/database.js';
import { tempDir } from './helpers/services.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function open() {
  const file = path.join(tempDir(), 'group.sqlite');
  store = await openStore(`sqlite:${file}`);
  const other = new SQLite(file, { readonly: true });
  const count = () => (other.prepare('select count(*) as n from customers').get() as { n: number }).n;
  return { store, count, other };
}

const customer = (id: string) => ({ id, display_name: null, created_at: new Date().toISOString() });

describe('SQLite group commit', () => {
  it('commits the writes of concurrent work together; another connection sees them once durable() resolves', async () => {
    const { store, count, other } = await open();
    await Promise.all(['a', 'b', 'c'].map((id) => store.db.insertInto('customers').values(customer(id)).execute()));
    expect(count()).toBe(0); // written, not yet committed
    await store.durable();
    expect(count()).toBe(3);
    other.close();
  });

  it('runs afterCommit callbacks after the commit, in order, and at once when nothing is pending', async () => {
    const { store, count, other } = await open();
    const seen: Array<[string, number]> = [];
    store.afterCommit(() => seen.push(['idle', count()]));
    expect(seen).toEqual([['idle', 0]]);
    await store.db.insertInto('customers').values(customer('x')).execute();
    store.afterCommit(() => seen.push(['first', count()]));
    store.afterCommit(() => seen.push(['second', count()]));
    expect(seen).toHaveLength(1);
    await store.durable();
    expect(seen).toEqual([['idle', 0], ['first', 1], ['second', 1]]);
    other.close();
  });

  it('a transaction that rolls back drops its own writes only', async () => {
    const { store, count, other } = await open();
    await store.db.insertInto('customers').values(customer('kept')).execute();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('customers').values(customer('dropped')).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await store.db.insertInto('customers').values(customer('also kept')).execute();
    await store.durable();
    expect(count()).toBe(2);
    const ids = (other.prepare('select id from customers order by id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(['also kept', 'kept']);
    other.close();
  });

  it('a write of another request during a turn is kept when the turn rolls back; a read does not wait for the turn', async () => {
    const { store, count, other } = await open();
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const turn = store.transaction(async () => {
      await store.db.insertInto('customers').values(customer('in the turn')).execute();
      await paused; // the turn waits (as for a slow step) while other requests come
      throw new Error('the bot failed');
    });
    await new Promise((resolve) => setImmediate(resolve));
    // another request reads at once, and writes once the turn is over
    expect(await store.db.selectFrom('customers').select('id').execute()).toEqual([{ id: 'in the turn' }]);
    let written = false;
    const write = store.db.insertInto('customers').values(customer('another request')).execute().then(() => (written = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(false);
    release();
    await expect(turn).rejects.toThrow('the bot failed');
    await write;
    await store.durable();
    const ids = (other.prepare('select id from customers order by id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(['another request']);
    expect(count()).toBe(1);
    other.close();
  });

  it('commits what is pending when the store closes', async () => {
    const file = path.join(tempDir(), 'close.sqlite');
    const closing = await openStore(`sqlite:${file}`);
    await closing.db.insertInto('customers').values(customer('last')).execute();
    await closing.close();
    const reader = new SQLite(file, { readonly: true });
    expect((reader.prepare('select count(*) as n from customers').get() as { n: number }).n).toBe(1);
    reader.close();
  });
});
