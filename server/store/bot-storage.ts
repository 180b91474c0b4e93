// botbuilder Storage on the bot_state table: ConversationState and UserState survive a restart.
// Optimistic concurrency as botbuilder expects: a write carrying a stale eTag throws,
// '*' (or no eTag) overwrites whatever is there.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Storage, StoreItems } from 'botbuilder';
import type { Database } from './schema.js';
import { preparedQuery } from './prepared-query.js';

export class EtagConflictError extends Error {
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

export class BotStorage implements Storage {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  /** a turn reads its conversation's and its customer's state, one key each: built and compiled once */
  private readonly readOne = preparedQuery(1, (key: string) => this.db.selectFrom('bot_state').select(['key', 'etag', 'value']).where('key', '=', key));

  /** botbuilder saves a turn's state with eTag '*': an upsert, built and compiled once */
  private readonly upsert = preparedQuery(4, (key: string, etag: string, value: string, updated_at: string) =>
    this.db.insertInto('bot_state').values({ key, etag, value, updated_at }).onConflict((oc) => oc.column('key').doUpdateSet({ etag, value, updated_at })),
  );

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const rows = keys.length === 1 ? (await this.readOne(this.db, keys[0])).rows : await this.db.selectFrom('bot_state').select(['key', 'etag', 'value']).where('key', 'in', keys).execute();
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...JSON.parse(row.value), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as { eTag?: string };
      const row = { etag: randomUUID(), value: JSON.stringify(value), updated_at: this.now() };
      if (!eTag || eTag === '*') {
        await this.upsert(this.db, key, row.etag, row.value, row.updated_at);
        continue;
      }
      // Only the version the writer read may be replaced; an item that is gone may be created again.
      const updated = await this.db.updateTable('bot_state').set(row).where('key', '=', key).where('etag', '=', eTag).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) continue;
      const inserted = await this.db
        .insertInto('bot_state')
        .values({ key, ...row })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new EtagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
