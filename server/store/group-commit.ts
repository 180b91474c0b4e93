// Group commit for SQLite: with synchronous=full every COMMIT waits for the disk (about 4,200 commits/s at
// best here, far fewer on a busy disk), and a chat turn made five of them. Instead, writes go into one open
// transaction that is committed once per event-loop turn, for every request that wrote meanwhile; a
// request's answer (and every live event) waits for the commit that holds its writes, so "acknowledged
// means on disk" still holds. Kysely transactions become savepoints inside the open transaction.
// A transaction (a Kysely one, or a unit of work: a whole chat turn, unit-of-work.ts) holds the connection
// until it ends: writes of other requests wait for it (in arrival order), so a rollback never undoes their
// writes and no commit falls inside it. Single reads never wait (they see the batch, as before); the commit
// goes first once the holder is done, so answers do not wait behind queued turns.
import { AsyncLocalStorage } from 'node:async_hooks';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type Kysely, type QueryResult, type TransactionSettings } from 'kysely';
import { currentUnit, outsideUnits, runInUnit, Unit } from './unit-of-work.js';

/** One holder at a time, the others in arrival order. */
class Mutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Resolves once the caller holds the mutex. */
  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once the caller holds the mutex, before everybody waiting already. */
  lockFirst(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.unshift(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/** Whether a unit of work (a request) read or wrote data of a batch not yet committed. */
export interface WorkRecord {
  touched: boolean;
}

export class GroupCommit {
  private readonly work = new AsyncLocalStorage<WorkRecord>();
  private open = false;
  private scheduled = false;
  private lastCommitMs = 0;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private after: Array<() => void> = [];
  private db: Kysely<any> | undefined;
  /** who uses the connection: a transaction, a unit of work, a single statement, the commit */
  readonly mutex = new Mutex();
  /** statements run and commits made so far (bench/turn-cost.ts counts them per turn) */
  readonly stats = { statements: 0, commits: 0 };

  /** the one connection's statements (prepared once per SQL text) */
  readonly statements: GroupCommitConnection;
  /** the same connection as a unit of work holds it (acquiring it takes no lock, releasing it frees none) */
  private readonly unitConnection: DatabaseConnection;

  constructor(private readonly connection: SQLite.Database) {
    const statements = new GroupCommitConnection(connection, this);
    this.statements = statements;
    this.unitConnection = {
      executeQuery: (compiled) => statements.executeQuery(compiled),
      streamQuery: () => statements.streamQuery(),
    };
  }

  /** The Kysely instance over this connection: a commit takes its connection lock, so it never splits a transaction. */
  attach(db: Kysely<any>): void {
    this.db = db;
  }

  /** The unit of work the current code runs in on this connection, if any. */
  unit(): Unit | undefined {
    return this.db ? currentUnit(this.db) : undefined;
  }

  /**
   * Runs `work` as one transaction (a savepoint in the batch, holding the connection): all its writes or
   * none; its afterCommit callbacks wait for the batch's commit. Inside another unit, `work` joins it.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.unit()) return work();
    const unitConnection = this.unitConnection;
    await this.mutex.lock();
    try {
      const unit = new Unit(this.db!, unitConnection);
      this.writing();
      await unitConnection.executeQuery(CompiledQuery.raw('savepoint unit_of_work'));
      let result: T;
      try {
        result = await runInUnit(unit, async () => {
          const done = await work();
          await unit.applyCounts();
          return done;
        });
      } catch (error) {
        // a failure SQLite answered by rolling the whole batch back has nothing left to roll back here
        if (this.connection.inTransaction) {
          await unitConnection.executeQuery(CompiledQuery.raw('rollback to unit_of_work'));
          await unitConnection.executeQuery(CompiledQuery.raw('release unit_of_work'));
        }
        throw error;
      }
      await unitConnection.executeQuery(CompiledQuery.raw('release unit_of_work'));
      for (const fn of unit.after) this.afterCommit(fn);
      return result;
    } finally {
      this.mutex.unlock();
    }
  }

  /** Called before a statement that writes: opens the batch's transaction and schedules its commit. */
  writing(): void {
    if (!this.open) {
      // IMMEDIATE: the batch opens because a write comes, so take the write lock now (waiting up to
      // busy_timeout for another process, e.g. the agent CLI). A deferred BEGIN would read first and then
      // fail at once with SQLITE_BUSY when another process committed in between (no busy wait for that).
      this.connection.exec('BEGIN IMMEDIATE');
      this.open = true;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      // the COMMIT blocks the event loop while the disk syncs: leave at least as much time for work as the
      // last sync took (a fast disk commits every loop turn, a slow one gathers more per commit; ≤ 20 ms)
      const wait = Math.min(20, Math.floor(this.lastCommitMs));
      const run = () => void this.commit().catch(() => {});
      // scheduled from inside a unit of work, the commit must not run as part of it
      outsideUnits(() => (wait < 1 ? setImmediate(run) : setTimeout(run, wait)));
    }
  }

  /** A statement failed: when SQLite rolled the whole batch back, everyone waiting on it learns so. */
  failed(error: Error): void {
    if (this.open && !this.connection.inTransaction) this.settle(error);
  }

  /** Runs `fn` (and what it starts) with a record of whether it touched uncommitted data. */
  track(fn: (record: WorkRecord) => void): void {
    const record = { touched: false };
    this.work.run(record, () => fn(record));
  }

  /** Runs `fn` without marking the current unit of work (writes nobody waits for: search analytics). */
  untracked<T>(fn: () => Promise<T>): Promise<T> {
    return this.work.exit(fn);
  }

  /** A statement ran: while a batch is open, the current unit of work must wait for its commit. */
  touch(): void {
    if (!this.open) return;
    const record = this.work.getStore();
    if (record) record.touched = true;
  }

  /** Resolves once everything written before the call is committed (at once when nothing is pending). */
  durable(): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Runs `fn` after the commit of everything written so far (at once when nothing is pending), in call order. */
  afterCommit(fn: () => void): void {
    if (!this.open) fn();
    else this.after.push(fn);
  }

  /** Commits the open batch now (the scheduled commit, and before closing). */
  async commit(): Promise<void> {
    const run = async () => {
      this.scheduled = false;
      if (!this.open) return;
      try {
        const started = performance.now();
        this.connection.exec('COMMIT');
        this.lastCommitMs = performance.now() - started;
        this.stats.commits++;
        this.settle();
      } catch (error) {
        if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
        this.settle(error as Error);
        throw error;
      }
    };
    await this.mutex.lockFirst();
    try {
      await run();
    } finally {
      this.mutex.unlock();
    }
  }

  private settle(error?: Error): void {
    this.open = false;
    const waiters = this.waiters.splice(0);
    const after = this.after.splice(0);
    for (const waiter of waiters) error ? waiter.reject(error) : waiter.resolve();
    if (!error) for (const fn of after) fn();
  }
}

/** Kysely's SQLite dialect with the group commit and statements prepared once per SQL text. */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(private readonly connection: SQLite.Database, private readonly group: GroupCommit) {
    super({ database: connection });
  }

  override createDriver(): Driver {
    const group = this.group;
    const holdEnds = (conn: DatabaseConnection) => {
      if (conn instanceof SharedConnection && conn.holding) {
        conn.holding = false;
        group.mutex.unlock();
      }
    };
    return {
      async init() {},
      // a unit of work has the connection already; anybody else shares it (see SharedConnection)
      acquireConnection: async () => group.unit()?.connection ?? new SharedConnection(group),
      beginTransaction: async (conn: DatabaseConnection, _settings: TransactionSettings) => {
        // a transaction of its own holds the connection until it ends (inside a unit: a savepoint of it)
        if (conn instanceof SharedConnection) {
          await group.mutex.lock();
          conn.holding = true;
        }
        this.group.writing();
        await conn.executeQuery(CompiledQuery.raw('savepoint group_tx'));
      },
      commitTransaction: async (conn: DatabaseConnection) => {
        try {
          await conn.executeQuery(CompiledQuery.raw('release group_tx'));
        } finally {
          holdEnds(conn);
        }
      },
      rollbackTransaction: async (conn: DatabaseConnection) => {
        try {
          await conn.executeQuery(CompiledQuery.raw('rollback to group_tx'));
          await conn.executeQuery(CompiledQuery.raw('release group_tx'));
        } finally {
          holdEnds(conn);
        }
      },
      releaseConnection: async (conn: DatabaseConnection) => holdEnds(conn),
      destroy: async () => {
        await this.group.commit().catch(() => {});
        this.connection.close();
      },
    };
  }
}

/**
 * The connection as a request outside any unit of work uses it: a read runs at once; a write waits while a
 * transaction holds the connection (it would land inside that transaction's savepoint), unless this is
 * the holder.
 */
class SharedConnection implements DatabaseConnection {
  /** this acquisition runs a Kysely transaction and holds the connection */
  holding = false;

  constructor(private readonly group: GroupCommit) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statements = this.group.statements;
    if (this.holding || statements.readonly(compiled.sql)) return statements.executeQuery<R>(compiled);
    await this.group.mutex.lock();
    try {
      return await statements.executeQuery<R>(compiled);
    } finally {
      this.group.mutex.unlock();
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    return this.group.statements.streamQuery<R>();
  }
}

class GroupCommitConnection implements DatabaseConnection {
  // Kysely would prepare every statement anew (about 19 µs for a primary-key SELECT here, against 3.4 µs
  // prepared): keep them by SQL text, bounded, since `in (…)` lists vary in length
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(private readonly connection: SQLite.Database, private readonly group: GroupCommit) {}

  private prepare(text: string): SQLite.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size >= 500) this.statements.delete(this.statements.keys().next().value!);
      statement = this.connection.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Whether the statement only reads. */
  readonly(text: string): boolean {
    return this.prepare(text).readonly;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(compiled.sql);
    this.group.stats.statements++;
    if (!statement.readonly) this.group.writing();
    this.group.touch();
    try {
      if (statement.reader) return { rows: statement.all(compiled.parameters as unknown[]) as R[] };
      const { changes, lastInsertRowid } = statement.run(compiled.parameters as unknown[]);
      return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] };
    } catch (error) {
      this.group.failed(error as Error);
      throw error;
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite here');
  }
}
