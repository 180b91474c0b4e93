// One conversation's turns run one at a time across every process, and each turn is one transaction (a unit
// of work, store/unit-of-work.ts): the customer's message, the bot's state, its replies and what it records
// commit together. Two instances never run the bot on the same conversation at once (its state would
// conflict, replies would interleave). PostgreSQL: the turn's transaction takes pg_advisory_xact_lock on the
// conversation first; the commit releases it, or the database when the holding process dies. SQLite means
// one process: the adapter's in-process queue orders the turns.
import { sql } from 'kysely';
import type { Store } from '../store/database.js';

export interface TurnLock {
  /** Runs `turn` as one transaction while holding the conversation's lock (waits for a turn of it running elsewhere). */
  run<T>(conversationId: string, turn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Our advisory locks live in their own key space (the first of the two int4 keys). */
const TURN_LOCK_SPACE = 0x5d7c;

/** No lock and no transaction: turns as they come (adapters built without a store, in tests). */
export const noTurnLock: TurnLock = {
  run: (_conversationId, turn) => turn(),
  async close() {},
};

export function createTurnLock(store: Store): TurnLock {
  if (!store.postgres) return { run: (_conversationId, turn) => store.transaction(turn), async close() {} };
  return {
    run: (conversationId, turn) =>
      store.transaction(async () => {
        await sql`select pg_advisory_xact_lock(${TURN_LOCK_SPACE}::int4, hashtext(${conversationId}))`.execute(store.db);
        return turn();
      }),
    // the turns' connections are the store's (its pool for units of work), closed with it
    async close() {},
  };
}
