// Conversations as queue and inbox lines: the summary, who the customer is, how long they have waited, and
// the seq of their latest message (for unread markers). Shared by the queue and the inbox views.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { Conversation } from '../store/schema.js';
import { QueueItem, toSummary, type Lookups } from './agent-json.js';
import { InboxRepository } from '../store/inbox.js';

export async function queueItems(app: FastifyInstance, conversations: Conversation[], names: Lookups): Promise<Array<Static<typeof QueueItem>>> {
  const ids = conversations.map((c) => c.id);
  const [first, lastCustomer] = await Promise.all([app.repos.conversations.firstCustomerMessages(ids), new InboxRepository(app.store.db, app.store.dialect).lastCustomerSeqs(ids)]);
  const now = app.clock.now().getTime();
  const customers = new Map<string, Awaited<ReturnType<typeof app.repos.customers.get>>>();
  for (const c of conversations) if (!customers.has(c.customer_id)) customers.set(c.customer_id, await app.repos.customers.get(c.customer_id));
  return conversations.map((c) => {
    const item = toSummary(c, names, first.get(c.id) ?? null);
    const customer = customers.get(c.customer_id);
    const queuedAt = item.queuedAt ? Date.parse(item.queuedAt) : now;
    return {
      ...item,
      customer: { id: c.customer_id, name: customer?.display_name ?? null, identities: customer?.identities ?? [] },
      waitingSeconds: item.status === 'queued' ? Math.max(0, Math.round((now - queuedAt) / 1000)) : 0,
      lastCustomerSeq: lastCustomer.get(c.id) ?? 0,
    };
  });
}
