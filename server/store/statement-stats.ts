// How many SQL statements and commits the store ran: bench/turn-cost.ts reports them per chat turn, so a
// change to the turn's writes is measured, not guessed. SQLite counts in its group commit; PostgreSQL here.
import type pg from 'pg';

export interface StatementStats {
  statements: number;
  /** transactions that reached the disk: a COMMIT, or a statement outside a transaction (autocommit) */
  commits: number;
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b(?!\s+to\b)/i;

/** Counts every statement of the pool's connections into `stats` (a connection's own transaction state decides what commits). */
export function countStatements(pool: pg.Pool, stats: StatementStats): void {
  pool.on('connect', (client) => {
    let inTransaction = false;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
      stats.statements++;
      if (BEGIN.test(text)) inTransaction = true;
      else if (END.test(text)) {
        if (/^\s*(commit|end)/i.test(text)) stats.commits++;
        inTransaction = false;
      } else if (!inTransaction) stats.commits++;
      return query(...args);
    };
  });
}
