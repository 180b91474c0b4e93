// Agents (people who answer customers) and their login sessions.
// Only hashes are stored: scrypt for passwords (see server/handoff/passwords.ts), sha256 for session ids.
import type { Kysely } from 'kysely';
import type { Agent, AgentRole, Database } from './schema.js';

export interface AgentSession {
  agent: Agent;
  csrfToken: string;
  expiresAt: string;
}

export class AgentRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  async count(): Promise<number> {
    const row = await this.db.selectFrom('agents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Creates an agent; undefined when the login is taken (also when another process created it a moment ago). */
  async create(input: { login: string; displayName: string; passwordHash: string; role: AgentRole }): Promise<Agent | undefined> {
    const inserted = await this.db
      .insertInto('agents')
      .values({ login: input.login, display_name: input.displayName, password_hash: input.passwordHash, role: input.role, created_at: this.now() })
      .onConflict((oc) => oc.column('login').doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted;
  }

  async setPassword(login: string, passwordHash: string): Promise<boolean> {
    const result = await this.db.updateTable('agents').set({ password_hash: passwordHash }).where('login', '=', login).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Every agent, by login (the team is small). */
  list(): Promise<Agent[]> {
    return this.db.selectFrom('agents').selectAll().orderBy('login').execute();
  }

  async update(id: number, change: { passwordHash?: string; role?: AgentRole; disabled?: boolean }): Promise<Agent | undefined> {
    const set: { password_hash?: string; role?: AgentRole; disabled_at?: string | null } = {};
    if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabled_at = change.disabled ? this.now() : null;
    if (Object.keys(set).length > 0) await this.db.updateTable('agents').set(set).where('id', '=', id).execute();
    return this.get(id);
  }

  /** Admins who can still log in (the last of them may not be disabled or demoted). */
  async activeAdminCount(): Promise<number> {
    const row = await this.db
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findByLogin(login: string): Promise<Agent | undefined> {
    return this.db.selectFrom('agents').selectAll().where('login', '=', login).executeTakeFirst();
  }

  get(id: number): Promise<Agent | undefined> {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Display names by id, for transcripts and the queue. */
  async names(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.selectFrom('agents').select(['id', 'display_name']).where('id', 'in', unique).execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }

  /** Every agent's display name by id (the team is small: one query beats bookkeeping). */
  async allNames(): Promise<Map<number, string>> {
    const rows = await this.db.selectFrom('agents').select(['id', 'display_name']).execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }

  // --- sessions: `id` is the sha256 of the cookie value, so a leaked database does not hand out logins

  async createSession(input: { idHash: string; agentId: number; csrfToken: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('agent_sessions')
      .values({ id: input.idHash, agent_id: input.agentId, csrf_token: input.csrfToken, created_at: this.now(), expires_at: input.expiresAt })
      .execute();
  }

  /** The live session with this id hash and its agent; expired sessions are not returned. */
  async findSession(idHash: string): Promise<AgentSession | undefined> {
    const row = await this.db
      .selectFrom('agent_sessions')
      .innerJoin('agents', 'agents.id', 'agent_sessions.agent_id')
      .selectAll('agents')
      .select(['agent_sessions.csrf_token', 'agent_sessions.expires_at'])
      .where('agent_sessions.id', '=', idHash)
      .where('agent_sessions.expires_at', '>', this.now())
      .where('agents.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { csrf_token, expires_at, ...agent } = row;
    return { agent, csrfToken: csrf_token, expiresAt: expires_at };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('id', '=', idHash).execute();
  }

  /** Ends every session of the agent (password reset, disabled); returns the keys that ended, to close their sockets. */
  async deleteSessionsOf(agentId: number): Promise<string[]> {
    const rows = await this.db.deleteFrom('agent_sessions').where('agent_id', '=', agentId).returning('id').execute();
    return rows.map((row) => row.id);
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('expires_at', '<=', this.now()).execute();
  }
}
