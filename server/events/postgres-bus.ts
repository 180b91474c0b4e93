// The event bus of several processes sharing one PostgreSQL database: LISTEN/NOTIFY, no other broker.
// NOTIFY carries ids, not payloads (it caps at 8 kB): a message event names the message's id and the
// receiving process reads the row back. Status changes and ended sessions are small and travel whole.
// Local listeners get an event at once with the payload in hand; other processes within a few milliseconds.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Store } from '../store/database.js';
import type { Message } from '../store/conversations.js';
import type { ConversationStatus, DeliveryState } from '../store/schema.js';
import { LocalFanout, type ConversationEvent, type EventBus } from './bus.js';

/** One entry of a notification (a notification carries a list, so a burst costs one NOTIFY). */
type Wire =
  | { t: 'm'; c: string; id: number; at: number }
  | { t: 's'; c: string; s: ConversationStatus; a: number | null; r: string | null; at: number }
  | { t: 'd'; c: string; id: number; s: DeliveryState; err: string | null; at: number }
  | { t: 'r'; c: string; stars: number; at: number }
  | { t: 't'; c: string; w: 'customer' | 'agent'; n: string | null; at: number }
  | { t: 'e'; k: string[]; at: number };

interface Envelope {
  /** the sending process: it delivered locally already and skips its own notifications */
  from: string;
  events: Wire[];
}

export interface PostgresBusOptions {
  store: Store;
  /** reads committed messages by id, in any order */
  readMessages: (ids: number[]) => Promise<Message[]>;
  logger: Logger;
  /** milliseconds from publish in one process to delivery in another (metrics) */
  onRemoteDelivery?: (lagMs: number) => void;
}

/** PostgreSQL NOTIFY payloads must stay below 8000 bytes. */
const MAX_PAYLOAD = 7000;

/** The channel: one per schema, so test runs (and deployments) sharing a database do not hear each other. */
export function channelName(schema: string | undefined): string {
  return schema ? `support_desk_events_${schema}` : 'support_desk_events';
}

export async function createPostgresBus(options: PostgresBusOptions): Promise<EventBus> {
  const { store, logger } = options;
  if (!store.postgres) throw new Error('the PostgreSQL event bus needs a PostgreSQL store');
  const channel = channelName(store.postgres.schema);
  const self = randomUUID();
  const local = new LocalFanout();
  let closed = false;

  // --- sending: in publish order, everything waiting goes out in as few NOTIFYs as fit
  let outgoing: Wire[] = [];
  let sending: Promise<void> | undefined;
  const send = (wire: Wire) => {
    outgoing.push(wire);
    sending ??= (async () => {
      try {
        while (outgoing.length > 0 && !closed) {
          const batch = outgoing;
          outgoing = [];
          for (const payload of pack(self, batch)) {
            await sql`select pg_notify(${channel}, ${payload})`.execute(store.db).catch((error) => logger.error({ err: error }, 'event bus: NOTIFY failed'));
          }
        }
      } finally {
        sending = undefined;
      }
    })();
  };

  // --- receiving: one listening connection; entries are delivered in the order they arrived
  let incoming: Wire[] = [];
  let receiving: Promise<void> | undefined;
  const receive = (wires: Wire[]) => {
    incoming.push(...wires);
    receiving ??= (async () => {
      try {
        while (incoming.length > 0 && !closed) {
          const batch = incoming;
          incoming = [];
          await deliver(batch).catch((error) => logger.error({ err: error }, 'event bus: could not deliver events from another instance'));
        }
      } finally {
        receiving = undefined;
      }
    })();
  };

  async function deliver(batch: Wire[]): Promise<void> {
    const ids = batch.flatMap((w) => (w.t === 'm' ? [w.id] : []));
    const messages = new Map((ids.length > 0 ? await options.readMessages(ids) : []).map((m) => [m.id, m]));
    for (const wire of batch) {
      if (wire.t === 'm') {
        const message = messages.get(wire.id);
        if (message) local.emit({ type: 'message', conversationId: wire.c, message });
        else logger.warn({ messageId: wire.id }, 'event bus: a notified message is not in the database');
      } else if (wire.t === 's') {
        local.emit({ type: 'status', conversationId: wire.c, status: wire.s, assignedAgentId: wire.a, reason: wire.r });
      } else if (wire.t === 'd') {
        local.emit({ type: 'delivery', conversationId: wire.c, messageId: wire.id, state: wire.s, error: wire.err });
      } else if (wire.t === 'r') {
        local.emit({ type: 'rating', conversationId: wire.c, rating: wire.stars });
      } else if (wire.t === 't') {
        local.emit({ type: 'typing', conversationId: wire.c, who: wire.w, ...(wire.n ? { agentName: wire.n } : {}) });
      } else {
        local.emitSessionsEnded(wire.k);
      }
      options.onRemoteDelivery?.(Date.now() - wire.at);
    }
  }

  let listener: pg.Client | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  async function listen(): Promise<void> {
    const client = new pg.Client(store.postgres!.clientConfig);
    client.on('notification', (notification) => {
      if (notification.channel !== channel || !notification.payload) return;
      try {
        const envelope = JSON.parse(notification.payload) as Envelope;
        if (envelope.from !== self) receive(envelope.events);
      } catch (error) {
        logger.warn({ err: error }, 'event bus: unreadable notification');
      }
    });
    const reconnect = (error?: Error) => {
      if (closed || listener !== client) return;
      listener = undefined;
      // events sent meanwhile are missed here: sockets that reconnect replay from the database (after=seq)
      logger.error({ err: error }, 'event bus: lost the LISTEN connection; reconnecting');
      client.end().catch(() => {});
      retryTimer = setTimeout(() => listen().catch((e) => reconnect(e)), 1000);
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    await client.connect();
    await client.query(`LISTEN "${channel}"`);
    listener = client;
  }
  await listen();

  return {
    publish(event) {
      local.emit(event);
      const at = Date.now();
      if (event.type === 'message') send({ t: 'm', c: event.conversationId, id: event.message.id, at });
      // a provider's error text can be long: NOTIFY caps payloads, and the console shows a line of it
      else if (event.type === 'delivery') send({ t: 'd', c: event.conversationId, id: event.messageId, s: event.state, err: event.error?.slice(0, 500) ?? null, at });
      else if (event.type === 'rating') send({ t: 'r', c: event.conversationId, stars: event.rating, at });
      else if (event.type === 'typing') send({ t: 't', c: event.conversationId, w: event.who, n: event.agentName?.slice(0, 100) ?? null, at });
      else send({ t: 's', c: event.conversationId, s: event.status, a: event.assignedAgentId ?? null, r: event.reason ?? null, at });
    },
    subscribe: (conversationId, fn) => local.subscribe(conversationId, fn),
    publishSessionsEnded(sessionKeys) {
      if (sessionKeys.length === 0) return;
      local.emitSessionsEnded(sessionKeys);
      send({ t: 'e', k: sessionKeys, at: Date.now() });
    },
    onSessionsEnded: (fn) => local.onSessionsEnded(fn),
    async close() {
      await sending;
      closed = true;
      clearTimeout(retryTimer);
      const client = listener;
      listener = undefined;
      local.clear();
      await client?.end().catch(() => {});
    },
  };
}

/** Splits the entries into NOTIFY payloads below the size limit (a long list of ended sessions is cut up too). */
function pack(from: string, wires: Wire[]): string[] {
  const payloads: string[] = [];
  let current: Wire[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) payloads.push(JSON.stringify({ from, events: current } satisfies Envelope));
    current = [];
    size = 0;
  };
  for (const wire of wires.flatMap(splitSessions)) {
    const length = JSON.stringify(wire).length + 1;
    if (size + length > MAX_PAYLOAD - 100) flush();
    current.push(wire);
    size += length;
  }
  flush();
  return payloads;
}

function splitSessions(wire: Wire): Wire[] {
  if (wire.t !== 'e' || wire.k.length <= 50) return [wire];
  const parts: Wire[] = [];
  for (let i = 0; i < wire.k.length; i += 50) parts.push({ ...wire, k: wire.k.slice(i, i + 50) });
  return parts;
}
