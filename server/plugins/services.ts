// The shared services every route may use, as Fastify decorators: the store with its repositories,
// the conversation event bus and the clock. Registered first; everything else declares it as a dependency.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Store } from '../store/database.js';
import { ConversationRepository } from '../store/conversations.js';
import { CustomerRepository } from '../store/customers.js';
import { AnalyticsRepository } from '../store/events.js';
import { LearnedEvidenceRepository } from '../store/learned.js';
import { TurnRepository } from '../store/turns.js';
import type { EventBus } from '../events/bus.js';
import { Transcript } from '../conversations/transcript.js';

export interface Clock {
  now(): Date;
}

export interface Repositories {
  conversations: ConversationRepository;
  customers: CustomerRepository;
  analytics: AnalyticsRepository;
  /** questions usage tied to articles (issue 11) */
  learned: LearnedEvidenceRepository;
  /** bot turns and help-center searches for insights (issue 14) */
  turns: TurnRepository;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    repos: Repositories;
    /** append messages and change status: stored first, then published on the bus */
    transcript: Transcript;
    bus: EventBus;
    clock: Clock;
  }
}

export interface ServicesOptions {
  config: Config;
  store: Store;
  bus: EventBus;
  clock: Clock;
}

export default fp<ServicesOptions>(
  async (app, { config, store, bus, clock }) => {
    const now = () => clock.now().toISOString();
    app.decorate('config', config);
    app.decorate('store', store);
    app.decorate('bus', bus);
    app.decorate('clock', clock);
    const conversations = new ConversationRepository(store.db, now);
    app.decorate('repos', {
      conversations,
      customers: new CustomerRepository(store.db, now),
      analytics: new AnalyticsRepository(store.db, now),
      learned: new LearnedEvidenceRepository(store.db, now),
      turns: new TurnRepository(store.db, now),
    });
    app.decorate('transcript', new Transcript(conversations, bus));
  },
  { name: 'services' },
);
