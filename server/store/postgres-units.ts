// Units of work on PostgreSQL (unit-of-work.ts): a unit takes a connection of its own pool and runs BEGIN …
// COMMIT on it; every Kysely statement of the unit's async context goes to that connection, and a Kysely
// transaction inside it becomes a savepoint. The units' pool is separate from the pool of everything else:
// a unit waiting for a conversation's lock holds its connection, and must never starve the statements of
// whoever holds that lock (that would deadlock one process against itself).
import type pg from 'pg';
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { currentUnit, runInUnit, Unit } from './unit-of-work.js';

export class PostgresUnits {
  private readonly driver: PostgresDriver;
  private ready: Promise<void> | undefined;
  /** the store's Kysely instance, the owner of its units */
  owner: object | undefined;

  constructor(pool: pg.Pool) {
    this.driver = new PostgresDriver({ pool });
  }

  unit(): Unit | undefined {
    return this.owner ? currentUnit(this.owner) : undefined;
  }

  /** Runs `work` as one transaction; inside another unit it joins that one. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.unit()) return work();
    this.ready ??= this.driver.init();
    await this.ready;
    const connection = (await this.driver.acquireConnection()) as Parameters<PostgresDriver['releaseConnection']>[0];
    const unit = new Unit(this.owner!, connection);
    try {
      await this.driver.beginTransaction(connection, {});
      let result: T;
      try {
        result = await runInUnit(unit, async () => {
          const done = await work();
          await unit.applyCounts();
          return done;
        });
        await this.driver.commitTransaction(connection);
      } catch (error) {
        await this.driver.rollbackTransaction(connection).catch(() => {});
        throw error;
      }
      for (const fn of unit.after) fn();
      return result;
    } finally {
      await this.driver.releaseConnection(connection);
    }
  }

  close(): Promise<void> {
    return this.driver.destroy();
  }
}

/** PostgreSQL for Kysely, with a unit of work's statements on the unit's connection. */
export class UnitAwarePostgresDialect extends PostgresDialect {
  constructor(pool: pg.Pool, private readonly units: PostgresUnits) {
    super({ pool });
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const units = this.units;
    const own = (connection: DatabaseConnection) => units.unit()?.connection === connection;
    return {
      init: (options) => inner.init(options),
      acquireConnection: async (options) => units.unit()?.connection ?? inner.acquireConnection(options),
      beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
        own(connection) ? connection.executeQuery(CompiledQuery.raw('savepoint kysely_tx')).then(() => {}) : inner.beginTransaction(connection, settings),
      commitTransaction: (connection) => (own(connection) ? connection.executeQuery(CompiledQuery.raw('release kysely_tx')).then(() => {}) : inner.commitTransaction(connection)),
      rollbackTransaction: async (connection) => {
        if (!own(connection)) return inner.rollbackTransaction(connection);
        await connection.executeQuery(CompiledQuery.raw('rollback to kysely_tx'));
        await connection.executeQuery(CompiledQuery.raw('release kysely_tx'));
      },
      savepoint: inner.savepoint?.bind(inner),
      rollbackToSavepoint: inner.rollbackToSavepoint?.bind(inner),
      releaseSavepoint: inner.releaseSavepoint?.bind(inner),
      releaseConnection: async (connection) => {
        if (!own(connection)) await inner.releaseConnection(connection);
      },
      destroy: () => inner.destroy(),
    };
  }
}
