// Attachments in the database (bytea / blob), so every instance serves the same files.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AttachmentType } from './sniff.js';

export interface AttachmentMeta {
  id: string;
  conversationId: string;
  messageId: number | null;
  type: string;
  size: number;
  sha256: string;
  name: string;
}

/** How a message's payload refers to its files (the URL is added per reader: customer or agent). */
export interface AttachmentRef {
  id: string;
  name: string;
  type: string;
  size: number;
}

export class AttachmentRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string) {}

  async add(conversationId: string, content: Buffer, type: AttachmentType, name: string): Promise<AttachmentRef> {
    const id = randomUUID();
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.db
      .insertInto('attachments')
      .values({ id, conversation_id: conversationId, message_id: null, mime_type: type, size: content.length, sha256, file_name: name, content, created_at: this.now() })
      .execute();
    return { id, name, type, size: content.length };
  }

  /** Drops a file whose message could not be stored (e.g. the agent may not reply). */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('attachments').where('id', '=', id).where('message_id', 'is', null).execute();
  }

  async linkToMessage(ids: string[], messageId: number): Promise<void> {
    if (ids.length) await this.db.updateTable('attachments').set({ message_id: messageId }).where('id', 'in', ids).execute();
  }

  /** The file, only when it belongs to this conversation (a guessed id of another conversation finds nothing). */
  async get(conversationId: string, id: string): Promise<(AttachmentMeta & { content: Buffer }) | undefined> {
    const row = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      conversationId: row.conversation_id,
      messageId: row.message_id,
      type: row.mime_type,
      size: row.size,
      sha256: row.sha256,
      name: row.file_name,
      content: Buffer.from(row.content),
    };
  }
}
