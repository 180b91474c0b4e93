// Two real instances on one PostgreSQL database behind a real nginx (README's site: round-robin, no sticky
// sessions, WebSocket upgrade). What is live must cross instances: a customer's socket on one instance and an
// agent's on the other see each other's claim, reply and messages; logout closes the socket elsewhere; a claim
// race between instances has one winner; limits count once for both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openStore } from '../server/store/database.js';
import { AgentRepository } from '../server/store/agents.js';
import { hashPassword } from '../server/handoff/passwords.js';
import { agentLogin, clusterProblem, freshDatabase, startInstance, startNginx, type Balancer, type Instance } from './helpers/cluster.js';
import { tempDir } from './helpers/services.js';

const ADMIN_PASSWORD = 'admin password for the cluster';
const SECOND_PASSWORD = 'second agent password';

/** A WebSocket that records what arrives, and which upstream (instance port) nginx chose for it. */
class Live {
  readonly events: any[] = [];
  upstream = '';
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('upgrade', (response) => (this.upstream = String(response.headers['x-upstream'] ?? '')));
    socket.on('message', (data) => {
      this.events.push(JSON.parse(String(data)));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<Live> {
    const live = new Live(new WebSocket(url, { headers }));
    await new Promise<void>((resolve, reject) => {
      live.socket.once('open', () => resolve());
      live.socket.once('error', reject);
    });
    return live;
  }

  /** Resolves with the first event (from the start) that matches; fails after `ms`. */
  async next(match: (event: any) => boolean, what: string, ms = 10_000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; got ${JSON.stringify(this.events).slice(0, 1500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async closed(ms = 10_000): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error(`socket still open after ${ms} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return this.closeCode;
  }

  close() {
    this.socket.close();
  }
}

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const { body: payload, ...type } = json(body);
  const response = await fetch(url, { method: 'POST', headers: { ...type, ...headers }, body: payload });
  return { status: response.status, upstream: response.headers.get('x-upstream'), body: await response.json().catch(() => null) };
}

describe('two instances on PostgreSQL behind nginx', () => {
  let skip = false;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let a: Instance;
  let b: Instance;
  let lb: Balancer;
  const instances = () => [a, b];
  const byUpstream = (upstream: string) => instances().find((i) => upstream.endsWith(`:${i.port}`))!;
  const other = (instance: Instance) => (instance === a ? b : a);

  beforeAll(async () => {
    if (await clusterProblem()) return void (skip = true);
    database = await freshDatabase();
    const env = { DATABASE_URL: database.url, DATA_DIR: tempDir(), INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD, TRUST_PROXY: '127.0.0.1', CHAT_REQUESTS_PER_MINUTE_PER_IP: '100000' };
    // one after the other: the first start migrates the schema and trains the search model the second reuses
    a = await startInstance('A', env);
    b = await startInstance('B', env);
    lb = await startNginx([a.port, b.port]);
    const store = await openStore(database.url);
    try {
      await new AgentRepository(store.db).create({ login: 'second', displayName: 'Second Agent', passwordHash: await hashPassword(SECOND_PASSWORD), role: 'agent' });
    } finally {
      await store.close();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await lb?.stop();
    await database?.drop();
  }, 60_000);

  it('balances round-robin, without stickiness', async (ctx) => {
    if (skip) ctx.skip();
    const upstreams = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${lb.url}/healthz`);
      expect(response.status).toBe(200);
      upstreams.add(byUpstream(response.headers.get('x-upstream')!).name);
    }
    expect([...upstreams].sort()).toEqual(['A', 'B']);
  });

  it('customer and agent on different instances: escalation, a claim race with one winner, reply, customer message and logout all cross over', async (ctx) => {
    if (skip) ctx.skip();
    const wsBase = lb.url.replace('http', 'ws');
    const started = await post(`${lb.url}/api/chat/conversations`, { locale: 'en' });
    expect(started.status).toBe(201);
    const { conversationId, token } = started.body;
    const lastSeq = Math.max(...started.body.messages.map((m: any) => m.seq));

    // the customer's widget socket, through nginx: on instance X
    const customer = await Live.open(`${wsBase}/api/chat/conversations/${conversationId}/stream?token=${token}&after=${lastSeq}`);
    const x = byUpstream(customer.upstream);
    await customer.next((e) => e.type === 'status', 'initial status');

    // the first agent's console socket, through nginx, until it lands on the other instance Y
    const first = await agentLogin(lb.url, 'admin', ADMIN_PASSWORD);
    const second = await agentLogin(lb.url, 'second', SECOND_PASSWORD);
    let agent: Live | undefined;
    for (let attempt = 0; attempt < 6 && !agent; attempt++) {
      const live = await Live.open(`${wsBase}/api/agent/stream`, { cookie: first.cookie });
      if (byUpstream(live.upstream) !== x) agent = live;
      else live.close();
    }
    expect(agent, 'round-robin never put the agent socket on the other instance').toBeDefined();
    const y = other(x);
    await agent!.next((e) => e.type === 'hello', 'hello');

    // the customer asks for a person on X; the agent's console on Y hears the message and the queueing
    const escalated = await post(`${x.url}/api/chat/conversations/${conversationId}/messages`, { text: 'I want to talk to a person' }, { authorization: `Bearer ${token}` });
    expect(escalated.status).toBe(200);
    await agent!.next((e) => e.type === 'message' && e.conversationId === conversationId && e.message.text === 'I want to talk to a person', 'customer message on the other instance');
    await agent!.next((e) => e.type === 'status' && e.conversationId === conversationId && e.status === 'queued', 'queued status on the other instance');

    // two agents claim at the same moment, one through each instance: exactly one wins
    const claim = (instance: Instance, who: typeof first) =>
      post(`${instance.url}/api/agent/conversations/${conversationId}/claim`, {}, { cookie: who.cookie, 'x-csrf-token': who.csrf });
    const [byFirst, bySecond] = await Promise.all([claim(y, first), claim(x, second)]);
    expect([byFirst.status, bySecond.status].sort()).toEqual([200, 409]);
    const winner = byFirst.status === 200 ? first : second;
    const loser = byFirst.status === 200 ? bySecond : byFirst;
    expect(loser.body.message).toMatch(/already claimed/);

    // both sides see the claim, whichever instance it happened on
    await customer.next((e) => e.type === 'status' && e.status === 'assigned', 'assigned status at the customer');
    await agent!.next((e) => e.type === 'status' && e.conversationId === conversationId && e.status === 'assigned' && e.assignedAgentId === winner.id, 'assigned status at the agent');

    // the winner's reply, sent through Y, reaches the customer's socket on X
    const replied = await post(`${y.url}/api/agent/conversations/${conversationId}/reply`, { text: 'Hello, I am looking at your order now.' }, { cookie: winner.cookie, 'x-csrf-token': winner.csrf });
    expect(replied.status).toBe(200);
    const reply = await customer.next((e) => e.type === 'message' && e.message.text === 'Hello, I am looking at your order now.', 'agent reply at the customer');
    expect(reply.message.author).toBe('agent');

    // the customer's answer, sent to X, reaches the agent's console on Y
    const answered = await post(`${x.url}/api/chat/conversations/${conversationId}/messages`, { text: 'Thank you, it is order NW-1234' }, { authorization: `Bearer ${token}` });
    expect(answered.status).toBe(200);
    expect(answered.body.messages).toEqual([]); // a person has it: the bot stays quiet on every instance
    await agent!.next((e) => e.type === 'message' && e.message.text === 'Thank you, it is order NW-1234', 'customer answer at the agent');

    // logging out on X closes the same session's console socket on Y
    const loggedOut = await fetch(`${x.url}/agent/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: first.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: first.csrf }).toString() });
    expect(loggedOut.status).toBe(303);
    expect(await agent!.closed(5_000)).toBe(4401);

    customer.close();
  }, 120_000);

  it('counts the per-conversation message limit and the per-IP login limit once for both instances', async (ctx) => {
    if (skip) ctx.skip();
    const started = await post(`${lb.url}/api/chat/conversations`, { locale: 'en' });
    const { conversationId, token } = started.body;
    const statuses: number[] = [];
    for (let i = 0; i < 36; i++) {
      const target = i % 2 === 0 ? a : b;
      statuses.push((await post(`${target.url}/api/chat/conversations/${conversationId}/messages`, { text: `message ${i}` }, { authorization: `Bearer ${token}` })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30); // CHAT_MESSAGES_PER_MINUTE
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);

    // wrong passwords from one client address (as nginx forwards it), alternating between the instances
    const attempts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const target = i % 2 === 0 ? a : b;
      const response = await fetch(`${target.url}/agent/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
        body: new URLSearchParams({ login: 'admin', password: `wrong ${i}`, _csrf: 'x' }).toString(),
      });
      attempts.push(response.status);
    }
    expect(attempts.filter((s) => s !== 429)).toHaveLength(10); // AGENT_LOGIN_ATTEMPTS_PER_15_MIN
  }, 180_000);

  // last: it stops an instance
  it('a deploy: SIGTERM closes the sockets with 1012, they reconnect through nginx to the other instance and replay what they missed', async (ctx) => {
    if (skip) ctx.skip();
    const wsBase = lb.url.replace('http', 'ws');
    const started = await post(`${lb.url}/api/chat/conversations`, { locale: 'en' });
    const { conversationId, token } = started.body;
    await post(`${lb.url}/api/chat/conversations/${conversationId}/messages`, { text: 'I want to talk to a person' }, { authorization: `Bearer ${token}` });
    const agent = await agentLogin(lb.url, 'second', SECOND_PASSWORD);
    expect((await post(`${lb.url}/api/agent/conversations/${conversationId}/claim`, {}, { cookie: agent.cookie, 'x-csrf-token': agent.csrf })).status).toBe(200);

    const customer = await Live.open(`${wsBase}/api/chat/conversations/${conversationId}/stream?token=${token}&after=0`);
    const stopping = byUpstream(customer.upstream);
    const staying = other(stopping);
    await customer.next((e) => e.type === 'message' && e.message.author === 'system', 'replayed history');
    const seen = Math.max(...customer.events.filter((e) => e.type === 'message').map((e) => e.message.seq));

    const exit = stopping.stop('SIGTERM');
    expect(await customer.closed(10_000)).toBe(1012);
    // said while the customer is disconnected
    const reply = await post(`${staying.url}/api/agent/conversations/${conversationId}/reply`, { text: 'Said during the restart' }, { cookie: agent.cookie, 'x-csrf-token': agent.csrf });
    expect(reply.status).toBe(200);
    expect(await exit).toBe(0);
    expect(stopping.output()).toContain('closed cleanly');

    // the widget reconnects with after=<last seq it saw>; nginx passes it to the instance still up
    const again = await Live.open(`${wsBase}/api/chat/conversations/${conversationId}/stream?token=${token}&after=${seen}`);
    expect(byUpstream(again.upstream)).toBe(staying);
    const missed = await again.next((e) => e.type === 'message' && e.message.text === 'Said during the restart', 'the missed reply, replayed');
    expect(missed.message.seq).toBeGreaterThan(seen);
    again.close();
  }, 120_000);
});
