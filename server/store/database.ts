// Opens the database named by DATABASE_URL (SQLite file by default, PostgreSQL for a postgres:// URL)
// and brings its schema up to date. The rest of the server only sees Kysely<Database>.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, sql } from 'kysely';
import { GroupCommit, GroupCommitSqliteDialect } from './group-commit.js';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';
import { registerUnicodeLower } from './unicode-lower.js';
import { countStatements, type StatementStats } from './statement-stats.js';
import { PostgresUnits, UnitAwarePostgresDialect } from './postgres-units.js';
import { currentUnit } from './unit-of-work.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** PostgreSQL only: how to open more connections like the pool's (the event bus listens on one of its own) */
  postgres?: { clientConfig: pg.ClientConfig; schema: string | undefined };
  /**
   * Resolves once everything written so far is committed. SQLite groups the commits of concurrent requests
   * (group-commit.ts): answers and live events wait for this. PostgreSQL commits before a write resolves.
   */
  durable(): Promise<void>;
  /** Runs `fn` with a record of whether it touched uncommitted data (a request: then its answer waits for durable()). */
  track(fn: (record: { touched: boolean }) => void): void;
  /** Runs `fn` outside the current record: writes no answer waits for (search analytics). */
  untracked<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` once everything written so far is committed, in call order (at once when nothing waits).
   * Inside a transaction (a unit of work): after its commit, and never when it rolls back.
   */
  afterCommit(fn: () => void): void;
  /**
   * Runs `work` as one transaction, a unit of work (a chat turn: unit-of-work.ts): every statement of its
   * async context commits with it or not at all; Kysely transactions inside it are savepoints. A call
   * inside a unit joins that unit. SQLite: a savepoint in the group commit's batch, holding the connection.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Inside a unit: `work` in a savepoint, whose writes, events and counts are undone when it throws. Else just `work`. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Adds `delta` to a counter row through `apply`. Inside a unit: once at its end, merged per `key`, keys in
   * order (concurrent units lock counter rows in one order, so they never deadlock on them); else at once.
   */
  count(key: string, delta: number, apply: (delta: number) => Promise<void>): Promise<void>;
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  /**
   * null when the database accepts a write (a row inserted and rolled back, so nothing stays and nothing
   * is synced to disk), else why not, in the database's words.
   */
  writeProblem(): Promise<string | null>;
  close(): Promise<void>;
  /** statements and commits run so far, on every connection of this store (bench/turn-cost.ts; PostgreSQL: with `countStatements`) */
  readonly stats: StatementStats;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: work inside this schema (created when missing); tests use one schema each. */
  schema?: string;
  /**
   * SQLite only: `full` (default) syncs the WAL on every commit, so an acknowledged message survives
   * even a power cut; `normal` survives a process crash but not a power cut, and writes ~50x faster.
   */
  sqliteSynchronous?: 'full' | 'normal';
  /**
   * PostgreSQL only: count statements and commits into `stats` by wrapping each pooled client's query
   * (bench/turn-cost.ts); off by default, so a server's queries go to pg untouched. SQLite always counts
   * (two integers in its group commit).
   */
  countStatements?: boolean;
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: DialectName;
  let clientConfig: pg.ClientConfig | undefined;
  let group: GroupCommit | undefined;
  let units: PostgresUnits | undefined;
  let stats: StatementStats = { statements: 0, commits: 0 };
  if (databaseUrl.startsWith('sqlite:')) {
    dialect = 'sqlite';
    const file = databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const connection = new SQLite(file);
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
    // savepoints (a chat turn is one, inside the group commit's transaction) keep the pages they change in a
    // sub-journal: in memory, not in a temporary file written on every turn
    connection.pragma('temp_store = MEMORY');
    connection.pragma(`synchronous = ${options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    registerUnicodeLower(connection);
    group = new GroupCommit(connection);
    stats = group.stats;
    db = new Kysely<Database>({ dialect: new GroupCommitSqliteDialect(connection, group) });
    group.attach(db);
  } else {
    dialect = 'postgres';
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    if (schema) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    clientConfig = { connectionString: databaseUrl, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
    const pool = new pg.Pool({ ...clientConfig, max: 10 });
    if (options.countStatements) countStatements(pool, stats);
    const unitPool = new pg.Pool({ ...clientConfig, max: 10 });
    unitPool.on('error', () => {}); // an idle connection dropped by the server; the next checkout opens another
    if (options.countStatements) countStatements(unitPool, stats);
    units = new PostgresUnits(unitPool);
    db = new Kysely<Database>({ dialect: new UnitAwarePostgresDialect(pool, units) });
    units.owner = db;
  }

  // with a schema of its own, Kysely's bookkeeping tables live there too (it otherwise looks for them in
  // any schema, and a store in another schema could make it skip creating its own)
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(dialect === 'postgres' && options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  await group?.durable(); // the schema is on disk before anyone (another process too) uses it
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }

  return {
    db,
    dialect,
    stats,
    ...(clientConfig ? { postgres: { clientConfig, schema: options.schema } } : {}),
    durable: () => group?.durable() ?? Promise.resolve(),
    track: (fn) => (group ? group.track(fn) : fn({ touched: false })),
    untracked: (fn) => (group ? group.untracked(fn) : fn()),
    afterCommit(fn) {
      const unit = currentUnit(db);
      if (unit) unit.after.push(fn);
      else if (group) group.afterCommit(fn);
      else fn();
    },
    transaction: (work) => (group ? group.transaction(work) : units!.transaction(work)),
    savepoint(work) {
      const unit = currentUnit(db);
      return unit ? unit.savepoint(work) : work();
    },
    async count(key, delta, apply) {
      const unit = currentUnit(db);
      if (unit) unit.counts.push({ key, delta, apply });
      else await apply(delta);
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async writeProblem() {
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('write_probe').values({ id: 'probe' }).execute();
          throw ROLLBACK;
        });
        return 'the write probe was committed'; // unreachable: the transaction always rolls back
      } catch (error) {
        if (error === ROLLBACK) return null;
        return error instanceof Error ? error.message : String(error);
      }
    },
    async close() {
      await db.destroy();
      await units?.close();
    },
  };
}

/** Thrown inside the write probe's transaction to roll it back. */
const ROLLBACK = Symbol('roll back the write probe');

export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
