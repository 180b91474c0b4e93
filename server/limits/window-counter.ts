// Fixed-window hit counters for rate limits. One process: in memory. Several processes on PostgreSQL: one
// row per key, counted by an atomic upsert, so a limit holds across instances instead of multiplying by them.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/database.js';

export interface WindowCount {
  /** hits in the current window, this one included */
  count: number;
  /** milliseconds until the window ends */
  resetInMs: number;
}

export interface WindowCounter {
  /** Counts one hit of `key` in its window of `windowMs` (a window starts with its first hit). */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The current window of `key` without counting a hit. */
  peek(key: string, windowMs: number): Promise<WindowCount>;
}

export class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.sweep(now, windowMs);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.startedAt + windowMs - now };
  }

  async peek(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) return { count: 0, resetInMs: 0 };
    return { count: window.count, resetInMs: window.startedAt + windowMs - now };
  }

  private sweep(now: number, windowMs: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= windowMs) this.windows.delete(key);
  }
}

/** Rows older than this are deleted now and then (the longest window we use is 15 minutes). */
const KEEP_MS = 24 * 3600_000;

export class SqlWindowCounter implements WindowCounter {
  private hits = 0;

  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = () => Date.now()) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    if (++this.hits % 1000 === 0) void sql`delete from rate_windows where started_at < ${now - KEEP_MS}`.execute(this.db).catch(() => {});
    const { rows } = await sql<{ count: number | string; started_at: number | string }>`
      insert into rate_windows (key, started_at, count) values (${key}, ${now}, 1)
      on conflict (key) do update set
        count = case when rate_windows.started_at + ${windowMs} <= ${now} then 1 else rate_windows.count + 1 end,
        started_at = case when rate_windows.started_at + ${windowMs} <= ${now} then ${now} else rate_windows.started_at end
      returning count, started_at`.execute(this.db);
    return { count: Number(rows[0].count), resetInMs: Number(rows[0].started_at) + windowMs - now };
  }

  async peek(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    const { rows } = await sql<{ count: number | string; started_at: number | string }>`select count, started_at from rate_windows where key = ${key}`.execute(this.db);
    const row = rows[0];
    if (!row || Number(row.started_at) + windowMs <= now) return { count: 0, resetInMs: 0 };
    return { count: Number(row.count), resetInMs: Number(row.started_at) + windowMs - now };
  }
}

/** Shared counters on PostgreSQL (several instances), memory on SQLite (one process; no fsync per hit). */
export function windowCounterFor(store: Store): WindowCounter {
  return store.dialect === 'postgres' ? new SqlWindowCounter(store.db) : new MemoryWindowCounter();
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store over a WindowCounter. `namespace` keeps the counts of each registration
 * (chat, login, feedback) apart; routes with their own limits get a child store keyed by route.
 */
export function rateLimitStore(counter: WindowCounter, namespace: string) {
  return class SharedRateLimitStore {
    readonly prefix: string;

    constructor(_globalParams?: unknown, prefix = `${namespace}:`) {
      this.prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      counter.hit(this.prefix + key, timeWindow).then(
        (window) => callback(null, { current: window.count, ttl: window.resetInMs }),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback, timeWindow: number): void {
      counter.peek(this.prefix + key, timeWindow).then(
        (window) => callback(null, { current: window.count, ttl: window.resetInMs }),
        (error: Error) => callback(error),
      );
    }

    // the plugin passes { routeInfo } at run time, whatever its type declarations say
    child(routeOptions: any) {
      const route = (routeOptions?.routeInfo ?? {}) as { method?: string; url?: string };
      return new SharedRateLimitStore(undefined, `${this.prefix}${route.method ?? ''}${route.url ?? ''}:`);
    }
  };
}
