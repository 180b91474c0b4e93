// The agent inbox: conversations by view (mine, unassigned, all open, resolved), a page at a time, optionally
// narrowed by a search over what was written (messages, the articles they carried), who wrote (the customer's
// name, the contact details they typed) and their channel identities. Plain LIKE: enough for one small team's
// history, the same on SQLite and PostgreSQL (lower() on both sides, wildcards escaped). SQLite's lower() folds
// only A-Z: a search with other letters ("müller" for "MÜLLER") uses unicode_lower there, a JavaScript function
// (about 2.7x the CPU of lower() per scanned row), so searches in plain ASCII keep the built-in one (the same
// rows: besides A-Z only the Kelvin sign and a dotted capital I lower-case to ASCII letters).
import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.js';
import type { Conversation, Database } from './schema.js';
import { UNICODE_LOWER } from './unicode-lower.js';

export type InboxView = 'mine' | 'unassigned' | 'open' | 'resolved';
export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'unassigned', 'open', 'resolved'];

export interface InboxQuery {
  view: InboxView;
  agentId: number;
  search?: string;
  limit: number;
  offset: number;
}

/** `50%_off\` as a LIKE pattern that matches exactly that text anywhere (escape character: backslash). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SQL function that lower-cases like PostgreSQL's lower() for this search text. */
export function lowerFunction(dialect: DialectName, search: string): string {
  return dialect === 'sqlite' && /[^\x00-\x7f]/.test(search) ? UNICODE_LOWER : 'lower';
}

export class InboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /** One page of the view, and whether there is more after it. */
  async page(query: InboxQuery): Promise<{ conversations: Conversation[]; more: boolean }> {
    let select = this.db.selectFrom('conversations as c').selectAll('c');
    if (query.view === 'mine') select = select.where('c.status', '=', 'assigned').where('c.assigned_agent_id', '=', query.agentId);
    else if (query.view === 'unassigned') select = select.where('c.status', '=', 'queued');
    else if (query.view === 'open') select = select.where('c.status', 'in', ['queued', 'assigned']);
    else select = select.where('c.status', '=', 'resolved');

    const search = query.search?.trim();
    if (search) {
      const pattern = containsPattern(search);
      const lower = sql.raw(lowerFunction(this.dialect, search));
      const like = (column: string) => sql<boolean>`${lower}(${sql.ref(column)}) like ${pattern} escape '\\'`;
      select = select.where((eb) =>
        eb.or([
          like('c.claimed_name'),
          like('c.claimed_email'),
          like('c.claimed_phone'),
          like('c.callback_contact'),
          like('c.channel_address'),
          eb.exists(eb.selectFrom('customers as cu').select(sql`1`.as('one')).whereRef('cu.id', '=', 'c.customer_id').where(like('cu.display_name'))),
          eb.exists(eb.selectFrom('customer_identities as i').select(sql`1`.as('one')).whereRef('i.customer_id', '=', 'c.customer_id').where(like('i.value'))),
          // the text of every message (notes included: agents search their own notes too) and the article cards it carried
          eb.exists(
            eb
              .selectFrom('messages as m')
              .select(sql`1`.as('one'))
              .whereRef('m.conversation_id', '=', 'c.id')
              .where((inner) => inner.or([like('m.text'), like('m.payload')])),
          ),
        ]),
      );
    }
    // open views: the longest waiting first (the queue's order); resolved: the latest first
    select = query.view === 'resolved' ? select.orderBy('c.resolved_at', 'desc').orderBy('c.id') : select.orderBy('c.queued_at', 'asc').orderBy('c.id');
    const rows = await select.limit(query.limit + 1).offset(query.offset).execute();
    return { conversations: rows.slice(0, query.limit), more: rows.length > query.limit };
  }

  /** The seq of the latest customer message per conversation (the console marks newer ones unread). */
  async lastCustomerSeqs(conversationIds: string[]): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messages')
      .select(['conversation_id', (eb) => eb.fn.max('seq').as('seq')])
      .where('conversation_id', 'in', conversationIds)
      .where('author', '=', 'customer')
      .groupBy('conversation_id')
      .execute();
    return new Map(rows.map((row) => [row.conversation_id, Number(row.seq)]));
  }
}
