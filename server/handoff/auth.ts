// Agent sessions and CSRF. The cookie holds an opaque random session id (256 bits); the database keeps only
// its sha256, so neither a leaked database nor a log line hands out a login. CSRF is a synchronizer token
// stored with the session (agent_sessions.csrf_token): the console reads it from the page and sends it as
// `x-csrf-token` (forms: a hidden `_csrf` field) on every state-changing request. The cookie is also
// SameSite=Strict, so a cross-site request does not even carry the session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../plugins/services.js';
import type { AgentRepository, AgentSession } from '../store/agents.js';
import type { Agent, AgentRole } from '../store/schema.js';
import { UNKNOWN_AGENT_HASH, verifyPassword } from './passwords.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the logged-in agent's session; set by the auth hooks of the agent routes */
    agentSession: AgentSession | null;
  }
  interface FastifyContextConfig {
    /** the roles that may call an agent route (see README, "Roles"); every /api/agent route declares them */
    roles?: readonly AgentRole[];
  }
}

/** Who may do what: the roles of each kind of agent route (README has the table). */
export const ROLES = {
  everyone: ['agent', 'editor', 'admin'],
  /** the queue and everything done to a conversation */
  conversations: ['agent', 'admin'],
  /** knowledge-base tools: search (used for replies too), later insights */
  knowledgeBase: ['agent', 'editor', 'admin'],
  /** what the knowledge base learns and lacks: learned questions, later insights */
  content: ['editor', 'admin'],
  /** managing agents (and, later, opening hours) */
  admin: ['admin'],
} as const satisfies Record<string, readonly AgentRole[]>;

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export class AgentAuth {
  readonly secure: boolean;
  /** `__Host-` binds the cookie to this exact host over https (no Domain, Path=/, Secure) */
  readonly cookieName: string;
  readonly loginCsrfCookie: string;

  constructor(private readonly agents: AgentRepository, private readonly config: Config, private readonly clock: Clock) {
    this.secure = new URL(config.publicUrl).protocol === 'https:';
    this.cookieName = this.secure ? '__Host-support_desk_agent' : 'support_desk_agent';
    this.loginCsrfCookie = this.secure ? '__Host-support_desk_login' : 'support_desk_login';
  }

  private get ttlMs(): number {
    return this.config.agents.sessionTtlHours * 3600_000;
  }

  cookieOptions(maxAgeSeconds: number) {
    return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: this.secure, maxAge: maxAgeSeconds };
  }

  /** The agent with this login and password, or undefined; as slow for an unknown login as for a wrong password. */
  async checkPassword(login: string, password: string): Promise<Agent | undefined> {
    const agent = await this.agents.findByLogin(login.trim().toLowerCase());
    const valid = await verifyPassword(password, agent?.password_hash ?? UNKNOWN_AGENT_HASH);
    // a disabled agent gets the same answer as a wrong password: the form reveals nothing about accounts
    return agent && valid && !agent.disabled_at ? agent : undefined;
  }

  /** Starts a session: stores its hash and sets the cookie. */
  async logIn(reply: FastifyReply, agent: Agent): Promise<void> {
    const sessionId = newToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.ttlMs).toISOString();
    await this.agents.deleteExpiredSessions();
    await this.agents.createSession({ idHash: sha256(sessionId), agentId: agent.id, csrfToken: newToken(), expiresAt });
    reply.setCookie(this.cookieName, sessionId, this.cookieOptions(Math.floor(this.ttlMs / 1000)));
  }

  async logOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = this.sessionKey(request);
    if (key) await this.agents.deleteSession(key);
    // a browser ignores a `__Host-` Set-Cookie without Secure, the clearing one too
    reply.clearCookie(this.cookieName, { path: '/', secure: this.secure });
    if (key) this.sessionsEnded([key]);
  }

  /** Ends every session of an agent (password reset, disabled) and closes their live sockets in this process. */
  async endSessionsOf(agentId: number): Promise<number> {
    const keys = await this.agents.deleteSessionsOf(agentId);
    this.sessionsEnded(keys);
    return keys.length;
  }

  private sessionsEnded(keys: string[]) {
    for (const key of keys) for (const listener of this.sessionEndListeners) listener(key);
  }

  /** The stored key (hash) of the request's session cookie, if it has one. */
  sessionKey(request: FastifyRequest): string | undefined {
    const sessionId = request.cookies[this.cookieName];
    return sessionId ? sha256(sessionId) : undefined;
  }

  private readonly sessionEndListeners = new Set<(sessionKey: string) => void>();

  /**
   * Called with a session's key when it ends in this process (logout, password reset, disabled): live
   * sockets close then. Returns the unsubscribe.
   */
  onSessionEnd(listener: (sessionKey: string) => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  /** Whether the session with this key is still live (sockets re-check: a reset by the CLI happens in another process). */
  async sessionAlive(sessionKey: string): Promise<boolean> {
    return (await this.agents.findSession(sessionKey)) !== undefined;
  }

  /** The live session the request's cookie names, or null (no cookie, unknown, expired). */
  async session(request: FastifyRequest): Promise<AgentSession | null> {
    const sessionId = request.cookies[this.cookieName];
    if (!sessionId) return null;
    return (await this.agents.findSession(sha256(sessionId))) ?? null;
  }

  /** onRequest hook for the JSON API and the agent WebSocket: 401 without a live session. */
  requireApiSession = async (request: FastifyRequest, reply: FastifyReply) => {
    request.agentSession = await this.session(request);
    if (!request.agentSession) {
      return reply.code(401).send({ error: 'Unauthorized', message: 'Log in at /agent/login first.', statusCode: 401 });
    }
  };

  /**
   * onRequest hook after requireApiSession: 403 unless the route's `config.roles` lists the agent's role.
   * A route without roles is refused too, so forgetting them closes a route rather than opening it.
   */
  requireRole = async (request: FastifyRequest, reply: FastifyReply) => {
    const roles = request.routeOptions.config.roles;
    const role = request.agentSession?.agent.role;
    if (!roles || !role || !roles.includes(role)) {
      return reply.code(403).send({ error: 'Forbidden', message: `Your role (${role ?? 'none'}) may not do this.`, statusCode: 403 });
    }
  };

  /** onRequest hook for console pages: to the login page without a live session. */
  requirePageSession = async (request: FastifyRequest, reply: FastifyReply) => {
    request.agentSession = await this.session(request);
    if (!request.agentSession) return reply.redirect('/agent/login', 303);
  };

  /**
   * preValidation hook (the body is parsed by then): a state-changing request must carry the session's
   * CSRF token in the header or the form field; 403 otherwise.
   */
  requireCsrf = async (request: FastifyRequest, reply: FastifyReply) => {
    if (SAFE_METHODS.has(request.method)) return;
    const header = request.headers[CSRF_HEADER];
    const sent = typeof header === 'string' && header !== '' ? header : (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (!sameToken(typeof sent === 'string' ? sent : undefined, request.agentSession?.csrfToken)) {
      return reply.code(403).send({ error: 'Forbidden', message: `Missing or wrong CSRF token (send the ${CSRF_HEADER} header).`, statusCode: 403 });
    }
  };

  /**
   * A WebSocket handshake carries cookies but no CSRF header: accept it only from our own pages
   * (Origin equal to PUBLIC_URL or to the host the request came to).
   */
  sameOrigin(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (!origin) return true; // not a browser: no ambient cookie risk beyond what the cookie itself proves
    return origin === new URL(this.config.publicUrl).origin || origin === `${request.protocol}://${request.host}`;
  }
}
