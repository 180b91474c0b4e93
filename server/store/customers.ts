// Customers and their identities (web visitor id, E.164 phone, e-mail).
// Customers are only ever joined through a verified identity (the channel's own, or a signed user id),
// never through contact details someone typed, and never on a guess.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, IdentityKind } from './schema.js';

export interface Identity {
  kind: IdentityKind;
  value: string;
}

export function normaliseIdentity(identity: Identity): Identity {
  if (identity.kind === 'email') return { kind: 'email', value: identity.value.trim().toLowerCase() };
  if (identity.kind === 'phone') return { kind: 'phone', value: identity.value.replace(/[^\d+]/g, '') };
  // exactly the id the host site signed
  if (identity.kind === 'user') return identity;
  return { kind: identity.kind, value: identity.value.trim() };
}

export class CustomerRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  async findByIdentity(identity: Identity): Promise<string | undefined> {
    const { kind, value } = normaliseIdentity(identity);
    const row = await this.db.selectFrom('customer_identities').select('customer_id').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
    return row?.customer_id;
  }

  /** The customer behind the first identity that is known, else a new customer; every identity given is linked to it. */
  async findOrCreate(identities: Identity[], displayName?: string | null): Promise<string> {
    for (const identity of identities) {
      const found = await this.findByIdentity(identity);
      if (found) {
        await this.link(found, identities);
        if (displayName) await this.db.updateTable('customers').set({ display_name: displayName }).where('id', '=', found).where('display_name', 'is', null).execute();
        return found;
      }
    }
    const id = randomUUID();
    await this.db.insertInto('customers').values({ id, display_name: displayName ?? null, created_at: this.now() }).execute();
    await this.link(id, identities);
    return id;
  }

  /** Links identities to a customer; an identity that already belongs to someone else is left with them. */
  async link(customerId: string, identities: Identity[]): Promise<void> {
    for (const raw of identities) {
      const { kind, value } = normaliseIdentity(raw);
      if (!value) continue;
      await this.db
        .insertInto('customer_identities')
        .values({ customer_id: customerId, kind, value, created_at: this.now() })
        .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
        .execute();
    }
  }

  /** STOP / START on SMS: whether this phone number may be sent to. */
  async setOptedOut(phone: string, optedOut: boolean, at: string): Promise<void> {
    const { value } = normaliseIdentity({ kind: 'phone', value: phone });
    await this.db.updateTable('customer_identities').set({ opted_out_at: optedOut ? at : null }).where('kind', '=', 'phone').where('value', '=', value).execute();
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const { value } = normaliseIdentity({ kind: 'phone', value: phone });
    const row = await this.db.selectFrom('customer_identities').select('opted_out_at').where('kind', '=', 'phone').where('value', '=', value).executeTakeFirst();
    return Boolean(row?.opted_out_at);
  }

  async get(customerId: string) {
    const customer = await this.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirst();
    if (!customer) return undefined;
    const identities = await this.db.selectFrom('customer_identities').select(['kind', 'value']).where('customer_id', '=', customerId).orderBy('id').execute();
    return { ...customer, identities };
  }
}
