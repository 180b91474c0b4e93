// Conversations and their messages: the transcript is the source of truth for the bot, the widget and the agents.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { currentUnit } from './unit-of-work.js';
import { preparedQuery } from './prepared-query.js';
import type { Channel, Conversation, ConversationStatus, ConversationUpdate, Database, DeliveryState, MessageAuthor, MessageRow } from './schema.js';

export interface NewMessage {
  author: MessageAuthor;
  text: string;
  payload?: Record<string, unknown> | null;
  internal?: boolean;
  agentId?: number | null;
  deliveryState?: DeliveryState | null;
  externalId?: string | null;
}

/** Contact details the customer typed: shown to agents as unverified, never used to find a customer. */
export interface ContactClaims {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface Message {
  id: number;
  conversationId: string;
  seq: number;
  author: MessageAuthor;
  text: string;
  payload: Record<string, unknown> | null;
  internal: boolean;
  agentId: number | null;
  deliveryState: DeliveryState | null;
  externalId: string | null;
  createdAt: string;
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    author: row.author,
    text: row.text,
    payload: row.payload ? JSON.parse(row.payload) : null,
    internal: row.internal === 1,
    agentId: row.agent_id,
    deliveryState: row.delivery_state,
    externalId: row.external_id,
    createdAt: row.created_at,
  };
}

/** A message with this external id is already stored in the conversation (a retry, or a race of two). */
export class DuplicateMessageError extends Error {
  constructor(readonly conversationId: string, readonly externalId: string) {
    super(`conversation ${conversationId} already has a message with external id ${externalId}`);
    this.name = 'DuplicateMessageError';
  }
}

/** True for the unique index on (conversation_id, external_id), as SQLite and PostgreSQL report it. */
function isExternalIdConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') return e.constraint === 'messages_conversation_external_id';
  return typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && /messages\.external_id/.test(e.message ?? '');
}

export class ConversationRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  // the hot queries of a chat turn, built and compiled once (prepared-query.ts)
  private readonly byId = preparedQuery(1, (id: string) => this.db.selectFrom('conversations').selectAll().where('id', '=', id));
  private readonly nextSeq = preparedQuery(2, (id: string, at: string) =>
    this.db.updateTable('conversations').set({ last_seq: sql`last_seq + 1`, updated_at: at }).where('id', '=', id).returning('last_seq'),
  );
  private readonly insertRow = preparedQuery(10, (...values: unknown[]) => {
    const [conversation_id, seq, author, text, payload, internal, agent_id, delivery_state, external_id, created_at] = values as any[];
    return this.db
      .insertInto('messages')
      .values({ conversation_id, seq, author, text, payload, internal, agent_id, delivery_state, external_id, created_at })
      .returning('id');
  });

  async create(input: { customerId: string; channel: Channel; locale: string; tokenHash?: string | null; id?: string; claims?: ContactClaims; channelAddress?: string | null; pageUrl?: string | null }): Promise<Conversation> {
    const at = this.now();
    const row = {
      id: input.id ?? randomUUID(),
      customer_id: input.customerId,
      channel: input.channel,
      locale: input.locale,
      status: 'bot' as ConversationStatus,
      token_hash: input.tokenHash ?? null,
      escalation_reason: null,
      assigned_agent_id: null,
      last_seq: 0,
      callback_contact: null,
      rating: null,
      rating_comment: null,
      claimed_name: input.claims?.name || null,
      claimed_email: input.claims?.email || null,
      claimed_phone: input.claims?.phone || null,
      created_at: at,
      updated_at: at,
      queued_at: null,
      assigned_at: null,
      resolved_at: null,
      channel_address: input.channelAddress ?? null,
      page_url: input.pageUrl ?? null,
      customer_seen_at: null,
    };
    await this.db.insertInto('conversations').values(row).execute();
    return row;
  }

  async get(id: string): Promise<Conversation | undefined> {
    return (await this.byId(this.db, id)).rows[0];
  }

  async update(id: string, changes: ConversationUpdate): Promise<void> {
    await this.db.updateTable('conversations').set({ ...changes, updated_at: this.now() }).where('id', '=', id).execute();
  }

  /** Moves the conversation from one of `from` to `to`; false when it was not in one of them (somebody else won). */
  async transition(id: string, from: ConversationStatus[], changes: ConversationUpdate & { status: ConversationStatus }, guard: { assignedTo?: number } = {}): Promise<boolean> {
    let query = this.db
      .updateTable('conversations')
      .set({ ...changes, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', 'in', from);
    // a transfer moves the conversation only from the agent who had it when the transfer was asked for
    if (guard.assignedTo !== undefined) query = query.where('assigned_agent_id', '=', guard.assignedTo);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Every conversation of a customer, newest first. */
  listByCustomer(customerId: string): Promise<Conversation[]> {
    return this.db.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').execute();
  }

  /** The customer's newest conversation on a channel and address that is not resolved (SMS and voice continue it). */
  latestOpenOn(customerId: string, channel: Channel, address: string): Promise<Conversation | undefined> {
    return this.db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('channel', '=', channel)
      .where('channel_address', '=', address)
      .where('status', '!=', 'resolved')
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** A customer message this channel already stored under its own id (a webhook retried), in any of the customer's conversations. */
  async findInbound(customerId: string, channel: Channel, externalId: string): Promise<Message | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .selectAll('messages')
      .where('conversations.customer_id', '=', customerId)
      .where('conversations.channel', '=', channel)
      .where('messages.external_id', '=', externalId)
      .where('messages.author', '=', 'customer')
      .executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  /** The first message stored under a channel id (a phone call's CallSid record), in any conversation. */
  async findByExternalId(externalId: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('external_id', '=', externalId).orderBy('id').limit(1).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  listByStatus(statuses: ConversationStatus[]): Promise<Conversation[]> {
    return this.db.selectFrom('conversations').selectAll().where('status', 'in', statuses).orderBy('queued_at', 'asc').execute();
  }

  /**
   * Appends a message with the next sequence number. The seq is taken by an atomic
   * UPDATE … RETURNING on the conversation, so concurrent writers never collide, and the
   * message is committed before this resolves (the caller may then acknowledge it).
   * A message whose `externalId` the conversation already has is not stored again: DuplicateMessageError
   * (the unique index decides, so two concurrent writers of the same id cannot both succeed).
   */
  async appendMessage(conversationId: string, message: NewMessage): Promise<Message> {
    try {
      return await this.insertMessage(conversationId, message);
    } catch (error) {
      if (message.externalId && isExternalIdConflict(error)) throw new DuplicateMessageError(conversationId, message.externalId);
      throw error;
    }
  }

  /** The message stored under a channel's or client's id in this conversation, if any. */
  async messageByExternalId(conversationId: string, externalId: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('external_id', '=', externalId).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  private insertMessage(conversationId: string, message: NewMessage): Promise<Message> {
    // inside a turn's transaction the two statements are atomic already (the turn commits or rolls back whole)
    if (currentUnit(this.db)) return this.insertMessageIn(this.db, conversationId, message);
    return this.db.transaction().execute((trx) => this.insertMessageIn(trx, conversationId, message));
  }

  private async insertMessageIn(trx: Kysely<Database>, conversationId: string, message: NewMessage): Promise<Message> {
    const [counter] = (await this.nextSeq(trx, conversationId, this.now())).rows;
    if (!counter) throw new Error(`conversation ${conversationId} does not exist`);
    const row = {
      conversation_id: conversationId,
      seq: counter.last_seq,
      author: message.author,
      text: message.text,
      payload: message.payload ? JSON.stringify(message.payload) : null,
      internal: message.internal ? 1 : 0,
      agent_id: message.agentId ?? null,
      delivery_state: message.deliveryState ?? null,
      external_id: message.externalId ?? null,
      created_at: this.now(),
    };
    const [inserted] = (
      await this.insertRow(trx, row.conversation_id, row.seq, row.author, row.text, row.payload, row.internal, row.agent_id, row.delivery_state, row.external_id, row.created_at)
    ).rows;
    return toMessage({ ...row, id: inserted.id });
  }

  /** Messages after `afterSeq`, in order; internal notes only when asked for (agents). */
  async messages(conversationId: string, options: { afterSeq?: number; includeInternal?: boolean } = {}): Promise<Message[]> {
    let query = this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '>', options.afterSeq ?? 0);
    if (!options.includeInternal) query = query.where('internal', '=', 0);
    const rows = await query.orderBy('seq').execute();
    return rows.map(toMessage);
  }

  async setDeliveryState(messageId: number, state: DeliveryState | null, externalId?: string): Promise<void> {
    await this.db.updateTable('messages').set({ delivery_state: state, ...(externalId ? { external_id: externalId } : {}) }).where('id', '=', messageId).execute();
  }

  // --- the human queue (server/handoff/)

  /** 1-based place of a queued conversation among all queued ones (oldest first); 0 when it is not queued. */
  async queuePosition(id: string): Promise<number> {
    const own = await this.get(id);
    if (!own || own.status !== 'queued' || !own.queued_at) return 0;
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number | string>().as('ahead'))
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('queued_at', '<', own.queued_at), eb.and([eb('queued_at', '=', own.queued_at), eb('id', '<', own.id)])]))
      .executeTakeFirstOrThrow();
    return Number(row.ahead) + 1;
  }

  /** When the most recently claimed conversations were queued and claimed, newest claim first. */
  async recentClaims(limit: number): Promise<Array<{ queuedAt: string; assignedAt: string }>> {
    const rows = await this.db
      .selectFrom('conversations')
      .select(['queued_at', 'assigned_at'])
      .where('assigned_at', 'is not', null)
      .where('queued_at', 'is not', null)
      .orderBy('assigned_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ queuedAt: row.queued_at!, assignedAt: row.assigned_at! }));
  }

  /** Stores the customer's rating of a resolved conversation unless it was rated already; false otherwise (atomic). */
  async rateOnce(id: string, rating: number, comment: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('conversations')
      .set({ rating, rating_comment: comment, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', 'resolved')
      .where('rating', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Stores the callback contact unless one is already set; false when one was. */
  async setCallbackContactOnce(id: string, contact: string): Promise<boolean> {
    const result = await this.db
      .updateTable('conversations')
      .set({ callback_contact: contact, updated_at: this.now() })
      .where('id', '=', id)
      .where('callback_contact', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The first message the customer wrote in each of these conversations (for queue and history lists). */
  async firstCustomerMessages(conversationIds: string[]): Promise<Map<string, string>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messages as m')
      .select(['m.conversation_id', 'm.text'])
      .where('m.conversation_id', 'in', conversationIds)
      .where('m.author', '=', 'customer')
      .where('m.seq', '=', (eb) =>
        eb.selectFrom('messages as first').select((f) => f.fn.min('first.seq').as('seq')).whereRef('first.conversation_id', '=', 'm.conversation_id').where('first.author', '=', 'customer'),
      )
      .execute();
    return new Map(rows.map((row) => [row.conversation_id, row.text]));
  }

  /** Messages by id (the event bus of another process names them), in no particular order. */
  async messagesByIds(ids: number[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
    return rows.map(toMessage);
  }
}
