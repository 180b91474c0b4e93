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
import type { TurnLock } from '../conversations/turn-lock.js';
import { windowCounterFor, type WindowCounter } from '../limits/window-counter.js';

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
    /** one turn at a time per conversation across processes (every inbound channel runs its turns in it) */
    turnLock: TurnLock;
    /** rate-limit counts, shared by every instance on PostgreSQL */
    windowCounter: WindowCounter;
  }
}

export interface ServicesOptions {
  config: Config;
  store: Store;
  bus: EventBus;
  clock: Clock;
  turnLock: TurnLock;
}

export default fp<ServicesOptions>(
  async (app, { config, store, bus, clock, turnLock }) => {
    const now = () => clock.now().toISOString();
    app.decorate('config', config);
    app.decorate('store', store);
    app.decorate('bus', bus);
    app.decorate('clock', clock);
    app.decorate('turnLock', turnLock);
    app.decorate('windowCounter', windowCounterFor(store));
    const conversations = new ConversationRepository(store.db, now);
    app.decorate('repos', {
      conversations,
      customers: new CustomerRepository(store.db, now),
      analytics: new AnalyticsRepository(store.db, now, (fn) => store.untracked(fn)),
      learned: new LearnedEvidenceRepository(store.db, now),
      turns: new TurnRepository(store.db, now, (key, delta, apply) => store.count(key, delta, apply)),
    });
    app.decorate('transcript', new Transcript(conversations, bus, (fn) => store.afterCommit(fn)));
  },
  { name: 'services' },
);
