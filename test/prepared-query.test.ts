// A query built and compiled once runs with each call's arguments (in whatever order the SQL takes them), and
// a query whose argument the builder transforms is refused when prepared instead of running a stale value.
import { afterEach, describe, expect, it } from 'vitest';
import { preparedQuery } from '../server/store/prepared-query.js';
import type { Store } from '../server/store/database.js';
import { openSqliteStore } from './helpers/services.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('prepared queries', () => {
  it('run with the arguments of each call, wherever the SQL puts them', async () => {
    store = await openSqliteStore();
    const db = store.db;
    const at = '2026-01-01T00:00:00.000Z';
    for (const id of ['a', 'b', 'c']) await db.insertInto('customers').values({ id, display_name: `name ${id}`, created_at: at }).execute();
    // the second argument comes first in the SQL (set … where)
    const rename = preparedQuery(2, (id: string, name: string) => db.updateTable('customers').set({ display_name: name }).where('id', '=', id).returning(['id', 'display_name']));
    expect((await rename(db, 'b', 'Bea')).rows).toEqual([{ id: 'b', display_name: 'Bea' }]);
    expect((await rename(db, 'c', 'Cem')).rows).toEqual([{ id: 'c', display_name: 'Cem' }]);
    const names = await db.selectFrom('customers').select(['id', 'display_name']).orderBy('id').execute();
    expect(names).toEqual([{ id: 'a', display_name: 'name a' }, { id: 'b', display_name: 'Bea' }, { id: 'c', display_name: 'Cem' }]);
  });

  it('refuses an argument the builder does not pass through as it is', async () => {
    store = await openSqliteStore();
    const db = store.db;
    const byUpperName = preparedQuery(1, (name: string) => db.selectFrom('customers').selectAll().where('display_name', '=', name.toUpperCase()));
    await expect(byUpperName(db, 'x')).rejects.toThrow(/argument 0 must be used as given/);
  });
});
