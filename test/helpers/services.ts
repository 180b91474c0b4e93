// Real services for tests: a temp SQLite file, or a fresh schema in the local PostgreSQL.
// Without PostgreSQL a developer's run skips those tests with a loud reason; in CI (CI=true) they fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeAll } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../server/store/database.js';

import { POSTGRES_URL } from './postgres-schemas.js';

export { POSTGRES_URL };
export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

let postgresReachable: Promise<string | null> | undefined;

/** null when PostgreSQL answers, else the reason it does not. */
export function postgresProblem(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_URL} is not reachable (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresReachable;
}

export function tempDir(prefix = 'support-desk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openSqliteStore(): Promise<Store> {
  return openStore(`sqlite:${path.join(tempDir(), 'test.sqlite')}`);
}

/**
 * A store in a new PostgreSQL schema. The schema outlives the store: all test schemas are dropped once the
 * whole run is over (test/global-setup.ts), since dropping one while another file migrates can fail that migration.
 */
export async function openPostgresStore(options: Omit<OpenStoreOptions, 'schema'> = {}): Promise<Store> {
  return openStore(POSTGRES_URL, { ...options, schema: `t_${randomBytes(6).toString('hex')}` });
}

export type DialectCase = { name: 'sqlite' | 'postgres'; open: () => Promise<Store> };

export const dialects: DialectCase[] = [
  { name: 'sqlite', open: openSqliteStore },
  { name: 'postgres', open: openPostgresStore },
];

/**
 * Call in a beforeAll of a PostgreSQL suite: returns true when the suite must be skipped
 * (and says why on stderr); throws in CI so a missing database can never pass silently.
 */
export async function skipWithoutPostgres(): Promise<boolean> {
  const problem = await postgresProblem();
  if (!problem) return false;
  if (IN_CI) throw new Error(`CI=true but ${problem}`);
  console.warn(`\n*** SKIPPING PostgreSQL tests: ${problem} ***\n`);
  return true;
}

/**
 * For a describe.each(dialects) suite: `open(ctx)` gives a test a fresh store, closed after the test.
 * PostgreSQL tests skip loudly without a server (and fail in CI).
 */
export function storePerTest({ name, open }: DialectCase): { open(ctx: { skip(): void }): Promise<Store>; readonly current: Store } {
  let store: Store | undefined;
  let skip = false;
  beforeAll(async () => {
    if (name === 'postgres') skip = await skipWithoutPostgres();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return {
    async open(ctx) {
      if (skip) ctx.skip();
      store = await open();
      return store;
    },
    get current() {
      return store!;
    },
  };
}
