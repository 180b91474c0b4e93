// Canned replies: answers admins save once and agents insert (with placeholders filled in) many times.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface CannedReply {
  id: number;
  title: string;
  body: string;
  locale: string | null;
  updatedAt: string;
}

export interface CannedReplyInput {
  title: string;
  body: string;
  locale: string | null;
}

export class CannedReplyRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  async list(): Promise<CannedReply[]> {
    const rows = await this.db.selectFrom('canned_replies').selectAll().orderBy('title').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, title: row.title, body: row.body, locale: row.locale, updatedAt: row.updated_at }));
  }

  async get(id: number): Promise<CannedReply | undefined> {
    return (await this.list()).find((reply) => reply.id === id);
  }

  async create(input: CannedReplyInput, agentId: number): Promise<CannedReply> {
    const at = this.now();
    const row = await this.db
      .insertInto('canned_replies')
      .values({ title: input.title, body: input.body, locale: input.locale, created_by: agentId, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, ...input, updatedAt: at };
  }

  /** undefined when there is no such reply */
  async update(id: number, input: CannedReplyInput): Promise<CannedReply | undefined> {
    const at = this.now();
    const result = await this.db.updateTable('canned_replies').set({ title: input.title, body: input.body, locale: input.locale, updated_at: at }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? { id, ...input, updatedAt: at } : undefined;
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('canned_replies').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
