// Agent presence: online, away or offline, as the wait estimate and the hand-over need it. Stored in the
// database so every instance sees the same team: one row per open console socket (refreshed while open,
// so the sockets of a crashed instance expire) and one row per agent for their choice and last activity.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Clock } from '../plugins/services.js';

export type PresenceState = 'online' | 'away' | 'offline';
export const PRESENCE_STATES: PresenceState[] = ['online', 'away', 'offline'];

/** What the handoff and the console need from presence; a shared store behind it (the database here). */
export interface Presence {
  /** a console socket opened: the agent is there (online unless they chose otherwise); returns the connection id */
  connected(agentId: number): Promise<string>;
  /** a console socket closed: the agent is offline once their last one has */
  disconnected(connectionId: string): Promise<void>;
  /** the sockets this instance holds are still open */
  stillConnected(connectionIds: string[]): Promise<void>;
  /** the agent did something in the console (typed, clicked, sent): not idle */
  active(agentId: number): Promise<void>;
  /** the agent's own choice in the console */
  choose(agentId: number, state: PresenceState): Promise<void>;
  stateOf(agentId: number): Promise<PresenceState>;
  /** how many agents are online now (connected, not away, not idle) */
  onlineCount(): Promise<number>;
}

export interface PresenceOptions {
  /** idle this long with the console open: away */
  awayAfterMinutes: number;
  /** a connection not refreshed for this long is gone (its instance died) */
  connectionTtlMs?: number;
}

/** How often an instance refreshes its open connections; a connection expires after three missed refreshes. */
export const CONNECTION_REFRESH_MS = 20_000;

export class DatabasePresence implements Presence {
  private readonly connectionTtlMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly options: PresenceOptions,
  ) {
    this.connectionTtlMs = options.connectionTtlMs ?? 3 * CONNECTION_REFRESH_MS;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  async connected(agentId: number): Promise<string> {
    const id = randomUUID();
    const now = this.now();
    await this.db.insertInto('agent_connections').values({ id, agent_id: agentId, last_seen: now }).execute();
    // opening the console counts as activity; an explicit "away" or "offline" choice stays
    await this.db
      .insertInto('agent_presence')
      .values({ agent_id: agentId, chosen_state: 'online', last_active_at: now })
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ last_active_at: now }))
      .execute();
    return id;
  }

  async disconnected(connectionId: string): Promise<void> {
    await this.db.deleteFrom('agent_connections').where('id', '=', connectionId).execute();
  }

  async stillConnected(connectionIds: string[]): Promise<void> {
    if (connectionIds.length === 0) return;
    await this.db.updateTable('agent_connections').set({ last_seen: this.now() }).where('id', 'in', connectionIds).execute();
  }

  async active(agentId: number): Promise<void> {
    await this.db.updateTable('agent_presence').set({ last_active_at: this.now() }).where('agent_id', '=', agentId).execute();
  }

  async choose(agentId: number, state: PresenceState): Promise<void> {
    const now = this.now();
    await this.db
      .insertInto('agent_presence')
      .values({ agent_id: agentId, chosen_state: state, last_active_at: now })
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ chosen_state: state, last_active_at: now }))
      .execute();
  }

  async stateOf(agentId: number): Promise<PresenceState> {
    const [row, connections] = await Promise.all([
      this.db.selectFrom('agent_presence').selectAll().where('agent_id', '=', agentId).executeTakeFirst(),
      this.liveConnections().where('agent_id', '=', agentId).select('id').execute(),
    ]);
    if (!row || connections.length === 0 || row.chosen_state === 'offline') return 'offline';
    if (row.chosen_state === 'away' || row.last_active_at < this.idleSince()) return 'away';
    return 'online';
  }

  async onlineCount(): Promise<number> {
    const row = await this.db
      .selectFrom('agent_presence')
      .where('chosen_state', '=', 'online')
      .where('last_active_at', '>=', this.idleSince())
      .where('agent_id', 'in', this.liveConnections().select('agent_id'))
      .select((eb) => eb.fn.countAll<number | string>().as('online'))
      .executeTakeFirstOrThrow();
    return Number(row.online);
  }

  private liveConnections() {
    const since = new Date(this.clock.now().getTime() - this.connectionTtlMs).toISOString();
    return this.db.selectFrom('agent_connections').where('last_seen', '>=', since);
  }

  private idleSince(): string {
    return new Date(this.clock.now().getTime() - this.options.awayAfterMinutes * 60_000).toISOString();
  }
}
