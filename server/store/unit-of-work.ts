// One transaction for a unit of work (a chat turn): every statement run through the store while the unit
// runs (in its async context) goes to the unit's connection and commits together, or not at all. Kysely
// transactions inside become savepoints; what waits for the commit (live events) waits for the unit's;
// counter rows are updated once per unit, at its end, in one order for everyone (see `count`).
// The dialects (group-commit.ts for SQLite, postgres-units.ts) give the unit its connection.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type DatabaseConnection } from 'kysely';

/** A counter row change kept until the end of the unit (merged with others of the same key). */
interface CountChange {
  key: string;
  delta: number;
  apply: (delta: number) => Promise<void>;
}

export class Unit {
  /** run after the unit's commit, in order (live events) */
  readonly after: Array<() => void> = [];
  readonly counts: CountChange[] = [];
  private savepoints = 0;

  /** `owner`: the store whose statements belong to this unit (tests run several stores in one process). */
  constructor(readonly owner: object, readonly connection: DatabaseConnection) {}

  /** Runs `work` in a savepoint: when it throws, its writes, events and counts are undone, and the error rethrown. */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `unit_${++this.savepoints}`;
    const marks = { after: this.after.length, counts: this.counts.length };
    await this.connection.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
    try {
      const result = await work();
      await this.connection.executeQuery(CompiledQuery.raw(`release ${name}`));
      return result;
    } catch (error) {
      await this.connection.executeQuery(CompiledQuery.raw(`rollback to ${name}`));
      await this.connection.executeQuery(CompiledQuery.raw(`release ${name}`));
      this.after.length = marks.after;
      this.counts.length = marks.counts;
      throw error;
    }
  }

  /** Applies the counter changes: one statement per key whose changes do not cancel out, in key order. */
  async applyCounts(): Promise<void> {
    if (this.counts.length === 0) return;
    const merged = new Map<string, CountChange>();
    for (const change of this.counts) {
      const seen = merged.get(change.key);
      merged.set(change.key, { ...change, delta: (seen?.delta ?? 0) + change.delta });
    }
    this.counts.length = 0;
    for (const key of [...merged.keys()].sort()) {
      const change = merged.get(key)!;
      if (change.delta !== 0) await change.apply(change.delta);
    }
  }
}

const units = new AsyncLocalStorage<Unit>();

/** The unit of work the current code runs in, for this store (undefined outside one). */
export function currentUnit(owner: object): Unit | undefined {
  const unit = units.getStore();
  return unit?.owner === owner ? unit : undefined;
}

/** Runs `work` as `unit` (its async context). */
export function runInUnit<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
  return units.run(unit, work);
}

/** Runs `fn` outside any unit (a commit scheduled from inside one must not count as the unit's). */
export function outsideUnits<T>(fn: () => T): T {
  return units.exit(fn);
}
