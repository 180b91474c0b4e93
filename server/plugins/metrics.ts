// GET /metrics in Prometheus format, behind a bearer token (METRICS_TOKEN; no route when unset): requests,
// bot decisions per channel, the human queue (length, longest wait), messages by delivery state (the
// outbox), KB size and problems, event-bus lag between instances, and Node's own process metrics.
// Counts that live in the database are read at scrape time, so every instance reports the shared truth.
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'kysely';
import { sameToken } from '../handoff/auth.js';

/** The instruments others feed; made before the app so the event bus can report its lag. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'support_desk_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly requestSeconds = new Histogram({ name: 'support_desk_http_request_duration_seconds', help: 'HTTP request duration by route', labelNames: ['route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  readonly botDecisions = new Counter({ name: 'support_desk_bot_decisions_total', help: 'Bot decisions (answer, suggest, escalate, …) per channel', labelNames: ['channel', 'decision'] as const, registers: [this.registry] });
  readonly busLag = new Histogram({ name: 'support_desk_event_bus_lag_seconds', help: 'From an event published on one instance to its delivery on another (PostgreSQL LISTEN/NOTIFY)', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'support_desk_' });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export default fp<{ metrics: Metrics }>(
  async (app, { metrics }) => {
    app.decorate('metrics', metrics);
    // prom-client hashes a label object on every call: keep the labelled series per route (and status)
    const counted = new Map<string, { inc(): void }>();
    const timed = new Map<string, { observe(value: number): void }>();
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `${request.method} ${reply.statusCode} ${route}`;
      let count = counted.get(key);
      if (!count) counted.set(key, (count = metrics.requests.labels({ method: request.method, route, status: String(reply.statusCode) })));
      count.inc();
      let time = timed.get(route);
      if (!time) timed.set(route, (time = metrics.requestSeconds.labels({ route })));
      time.observe(reply.elapsedTime / 1000);
    });

    const registry = metrics.registry;
    new Gauge({
      name: 'support_desk_queue_length',
      help: 'Conversations waiting for a person',
      registers: [registry],
      async collect() {
        const row = await app.store.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', '=', 'queued').executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: 'support_desk_queue_longest_wait_seconds',
      help: 'How long the longest-waiting queued conversation has waited',
      registers: [registry],
      async collect() {
        const row = await app.store.db.selectFrom('conversations').select((eb) => eb.fn.min('queued_at').as('oldest')).where('status', '=', 'queued').executeTakeFirst();
        this.set(row?.oldest ? Math.max(0, (app.clock.now().getTime() - Date.parse(String(row.oldest))) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'support_desk_outbox_messages',
      help: 'Messages to SMS/voice customers by delivery state (queued = still in the outbox)',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const { rows } = await sql<{ state: string; n: number | string }>`select delivery_state as state, count(*) as n from messages where delivery_state is not null group by delivery_state`.execute(app.store.db);
        this.reset();
        for (const state of ['queued', 'sent', 'delivered', 'failed']) this.set({ state }, 0);
        for (const row of rows) this.set({ state: row.state }, Number(row.n));
      },
    });
    new Gauge({
      name: 'support_desk_kb_articles',
      help: 'Articles served per locale',
      labelNames: ['locale'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const locale of app.kb.locales()) this.set({ locale }, app.kb.articles(locale).length);
      },
    });
    new Gauge({
      name: 'support_desk_kb_problems',
      help: 'Problems found by the last KB load or reload (the last good content keeps serving)',
      registers: [registry],
      collect() {
        this.set(app.kb.problems().length);
      },
    });

    const token = app.config.metricsToken;
    if (!token) return;
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics (Authorization: Bearer METRICS_TOKEN)',
          headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
          response: { 200: Type.String(), 401: Type.Object({ error: Type.String(), message: Type.String(), statusCode: Type.Integer() }) },
        },
      },
      async (request, reply) => {
        const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        if (!sameToken(sent, token)) {
          return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.', statusCode: 401 });
        }
        return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
      },
    );
  },
  { name: 'metrics', dependencies: ['services', 'kb'] },
);
