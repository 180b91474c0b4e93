// buildApp(config) -> the whole Fastify application, without listening. Tests drive it with app.inject.
// Order: external plugins, our services (store, bus, KB), then every HTTP surface.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import formbody from '@fastify/formbody';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { openStore, type Store } from './store/database.js';
import { createInProcessBus, type EventBus } from './events/bus.js';
import { createPostgresBus } from './events/postgres-bus.js';
import { ConversationRepository } from './store/conversations.js';
import { createTurnLock } from './conversations/turn-lock.js';
import metricsPlugin, { Metrics } from './plugins/metrics.js';
import services, { type Clock } from './plugins/services.js';
import errors from './plugins/errors.js';
import securityHeaders, { securityHeaders as securityHeaderPresets } from './plugins/security-headers.js';
import kb from './kb/plugin.js';
import kbLearning from './kb/learning.js';
import health from './routes/health.js';
import helpCenter from './routes/help-center.js';
import kbApi from './routes/kb-api.js';
import assets from './routes/assets.js';
import webchat from './channels/webchat/plugin.js';
import bot from './plugins/bot.js';
import handoff from './handoff/plugin.js';
import outbox from './outbox/plugin.js';
import emailReplies from './channels/email/plugin.js';
import twilioChannels from './channels/twilio/plugin.js';
import shortLinks from './routes/short-links.js';
import insightsRecording from './insights/recording.js';
import { cleanText } from './plugins/clean-text.js';

/** WebSocket close code for "the server is restarting; reconnect" (RFC 6455 registry). */
export const SERVICE_RESTART = 1012;

export interface AppOptions {
  logger?: Logger;
  /** an open store; by default the one DATABASE_URL names is opened (and closed with the app) */
  store?: Store;
  bus?: EventBus;
  clock?: Clock;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`. Fastify reads a bare number as "trust nobody" (a hop count cannot
 * tell a proxy from a client that reached the port directly), so a hop count is passed as a function:
 * believe the last `hops` entries of the address chain, the proxies' own appended addresses.
 */
function fastifyTrustProxy(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance<any, any, any, any, TypeBoxTypeProvider>> {
  const logger = options.logger ?? createLogger(config);
  const app = Fastify({
    loggerInstance: logger as any,
    // request ids in every log line of a request; honour a proxy's id when it sends one
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024 * 1024,
    // the first start trains the search model of a large KB (about 10 s for 1,000 articles on 2 cores)
    pluginTimeout: 120_000,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // one hook at the root, before any plugin, so every route (help center, chat, agent API, feedback) gets clean text
  app.addHook('preValidation', async (request) => {
    request.body = cleanText(request.body);
    request.query = cleanText(request.query);
    request.params = cleanText(request.params);
  });

  const ownsStore = !options.store;
  const store = options.store ?? (await openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous }));
  const metrics = new Metrics();
  // several processes on one PostgreSQL hear each other's events over LISTEN/NOTIFY; SQLite stays in-process
  const ownsBus = !options.bus;
  const bus =
    options.bus ??
    (store.dialect === 'postgres'
      ? await createPostgresBus({
          store,
          readMessages: (ids) => new ConversationRepository(store.db).messagesByIds(ids),
          logger: app.log,
          onRemoteDelivery: (lagMs) => metrics.busLag.observe(lagMs / 1000),
        })
      : createInProcessBus());
  const turnLock = createTurnLock(store);
  // one hook, in this order: the bus may still be sending through the store's pool
  app.addHook('onClose', async () => {
    await turnLock.close();
    if (ownsBus) await bus.close();
    if (ownsStore) await store.close();
  });

  // SQLite commits the writes of concurrent requests together: no answer leaves before the commit that
  // holds what it reports; a request that touched nothing uncommitted answers at once (PostgreSQL: always)
  const work = new WeakMap<object, { touched: boolean }>();
  app.addHook('onRequest', (request, _reply, done) => store.track((record) => (work.set(request, record), done())));
  app.addHook('onSend', async (request, _reply, payload) => {
    if (work.get(request)?.touched) await store.durable();
    return payload;
  });

  // before every route: helmet's hooks and per-route options apply to the routes registered after it
  await app.register(securityHeaders, { publicUrl: config.publicUrl });
  await app.register(swagger, {
    openapi: {
      info: { title: 'support-desk API', version: '0.1.0', description: 'Knowledge base search, web chat and agent queue.' },
      tags: [
        { name: 'knowledge base', description: 'Search and read articles' },
        { name: 'chat', description: 'Web chat for customers (widget or your own front end)' },
        { name: 'agent', description: 'The agent console API (session cookie + CSRF token)' },
        { name: 'operations', description: 'Health and readiness' },
        { name: 'twilio', description: 'Twilio webhooks for SMS and phone calls (signed by Twilio)' },
      ],
      components: {
        securitySchemes: {
          agentSession: { type: 'apiKey', in: 'cookie', name: 'support_desk_agent', description: 'Agent session from /agent/login (named __Host-support_desk_agent over https); POSTs also need the x-csrf-token header from GET /api/agent/me' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: securityHeaderPresets(config.publicUrl).docsCsp });
  await app.register(formbody);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // on shutdown (deploy, SIGTERM) every socket is closed with 1012 "service restart": the widget and the
    // console reconnect at once (through the load balancer, to another instance) and replay what they missed
    preClose(this: FastifyInstance, done: () => void) {
      const server = this.websocketServer;
      for (const client of server.clients) client.close(SERVICE_RESTART, 'server restarting');
      server.close(() => {});
      done();
    },
  });

  await app.register(services, { config, store, bus, turnLock, clock: options.clock ?? { now: () => new Date() } });
  await app.register(errors);
  await app.register(kb);
  await app.register(kbLearning);
  await app.register(metricsPlugin, { metrics });

  await app.register(health);
  await app.register(helpCenter);
  await app.register(kbApi);
  await app.register(assets);
  await app.register(outbox);
  await app.register(handoff);
  await app.register(bot);
  await app.register(webchat);
  await app.register(twilioChannels);
  await app.register(emailReplies);
  await app.register(shortLinks);
  await app.register(insightsRecording);

  return app;
}
