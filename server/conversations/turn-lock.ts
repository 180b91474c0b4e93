// One conversation's turns run one at a time across every process: two instances never run the bot on the
// same conversation at once (its state would conflict, replies would interleave). PostgreSQL: a transaction
// holding pg_advisory_xact_lock on the conversation for the turn; it is released by the commit, or by the
// database when the holding process dies. SQLite means one process: the adapter's in-process queue suffices.
import pg from 'pg';
import type { Store } from '../store/database.js';
import { countStatements } from '../store/statement-stats.js';

export interface TurnLock {
  /** Runs `turn` while holding the conversation's lock (waits for a turn of it running elsewhere). */
  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Our advisory locks live in their own key space (the first of the two int4 keys). */
const TURN_LOCK_SPACE = 0x5d7c;

export const noTurnLock: TurnLock = {
  run: (_conversationId, turn) => turn(),
  async close() {},
};

export function createTurnLock(store: Store, options: { connections?: number } = {}): TurnLock {
  if (!store.postgres) return noTurnLock;
  // Its own pool: a turn waiting for its lock holds a connection, and must never starve the connections
  // the lock holder needs to finish its turn (that would deadlock one process against itself).
  const pool = new pg.Pool({ ...store.postgres.clientConfig, max: options.connections ?? 10 });
  countStatements(pool, store.stats);
  pool.on('error', () => {}); // an idle connection dropped by the server; the next checkout opens another
  return {
    async run(conversationId, turn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TURN_LOCK_SPACE, conversationId]);
        return await turn();
      } finally {
        await client.query('COMMIT').catch((error: Error) => (broken = error));
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
