// The whole app for API and service tests: a fresh SQLite store, a clock the test can move, closed after the test.
import { afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import type { Store } from '../../server/store/database.js';
import { openSqliteStore } from './services.js';

export interface MovableClock {
  current: Date;
  now(): Date;
}

/** Registers the clean-up and returns `start(at, env)`; `defaults` are environment settings for every app. */
export function appsPerTest(defaults: Record<string, string> = {}) {
  const running: Array<{ app: FastifyInstance; store: Store }> = [];
  afterEach(async () => {
    for (const { app, store } of running.splice(0)) {
      await app.close();
      await store.close();
    }
  });
  return async function start(at: Date, env: Record<string, string> = {}): Promise<{ app: FastifyInstance; clock: MovableClock }> {
    const clock: MovableClock = { current: at, now: () => clock.current };
    const store = await openSqliteStore();
    const app = await buildApp(testConfig({ ...defaults, ...env }), { store, clock });
    running.push({ app, store });
    await app.ready();
    return { app, clock };
  };
}
