// A bounded, seeded fuzz run against every route: the OpenAPI document's and the hidden ones (help center pages,
// assets, agent pages, WebSocket endpoints as plain GETs). Random and malformed methods, paths, query strings,
// headers and bodies, with and without an agent session + CSRF token and a chat token. Nothing may answer 5xx
// or hang, and the app must be healthy afterwards. The seed is fixed, so a failure repeats: FUZZ_SEED and
// FUZZ_REQUESTS override it for a longer hunt (`FUZZ_SEED=7 FUZZ_REQUESTS=20000 npx vitest run test/fuzz.test.ts`).
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn, registeredRoutes, type AgentClient } from './helpers/agents.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const PER_REQUEST_MS = 5000;
const BODY_LIMIT = 1024 * 1024;

/** xorshift32: small, fast, and the same sequence on every machine for one seed. */
function prng(seed: number) {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Random = ReturnType<typeof prng>;

const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '../../etc/passwd', '..%2f..%2fetc%2fpasswd',
  '%00', '%', '%E0%A4%A', '%ff', '%uD800', '\ud800', '\udfff', 'x\ud83dy', '😀', '👩‍👩‍👧‍👦', 'ẞüÖ', '\u202eevil', 'مرحبا', '中文',
  '<script>alert(1)</script>', '"><img src=x onerror=1>', "' OR 1=1 --", '${7*7}', '{{7*7}}', 'null', 'undefined', 'NaN', 'true',
  '-1', '0', '1e309', '-0', '9007199254740993', '123456789012345678901234567890', '0x10', '1.5', ' 1 ', 'Infinity',
  '\r\n', '\t', 'a b', 'de', 'en', 'fr', 'DE', 'de-AT', 'card', 'Karte', 'Wo ist mein Paket?', 'parcel-tracking', 'bank-transfer',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'MKCOL', 'LOCK'];
const CONTENT_TYPES = [
  'application/json', 'application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain',
  'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/vnd.api+json', '', 'garbage',
];

function randomString(r: Random, maxLength = 40): string {
  if (r.chance(0.35)) return r.pick(NASTY_STRINGS);
  if (r.chance(0.05)) return 'x'.repeat(r.int(200_000)); // long, within bodyLimit
  const length = r.int(maxLength);
  let out = '';
  for (let i = 0; i < length; i++) {
    const kind = r.int(10);
    if (kind < 6) out += String.fromCharCode(0x20 + r.int(95));
    else if (kind < 8) out += String.fromCodePoint(r.int(0x2ffff));
    else if (kind < 9) out += r.pick(['\u0000', '\n', '\ud800', '\udc00', '\u200b', '\ufeff']);
    else out += r.pick(['é', 'ß', '😀', '\u0301']);
  }
  return out;
}

/** A value of any JSON type, sometimes deeply nested. */
function randomJson(r: Random, depth = 0): unknown {
  const kind = r.int(depth > 3 ? 6 : 9);
  switch (kind) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e-308, 0.5, 3, 5, 6, 42]);
    case 3: case 4: case 5: return randomString(r);
    case 6: case 7: {
      const object: Record<string, unknown> = {};
      const keys = ['text', 'action', 'locale', 'visitorId', 'customer', 'name', 'email', 'phone', 'stars', 'comment', 'articleId', 'helpful', 'q', 'login', 'password', 'role', '_csrf', '__proto__', 'constructor'];
      for (let i = r.int(5); i > 0; i--) object[r.chance(0.8) ? r.pick(keys) : randomString(r, 10)] = randomJson(r, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
  }
}

/** A plausible body for a route, then bent (wrong types, missing fields); `strict` bends it less often. */
function plausibleBody(r: Random, url: string, strict = false): Record<string, unknown> {
  const pick = <T>(good: T) => (r.chance(strict ? 0.95 : 0.6) ? good : randomJson(r, 2));
  const text = (max: number) => (strict && r.chance(0.5) ? r.pick(['Wo ist mein Paket?', 'Kann ich mit Karte bezahlen?', 'I want to talk to a person', 'agent', 'Danke']) : randomString(r, max));
  if (url.endsWith('/conversations')) return { locale: pick(r.pick(['de', 'en'])), visitorId: pick(`visitor-${r.int(5)}`), customer: pick({ name: text(30), email: pick('kim@example.com'), phone: pick('+4915112345678') }) };
  if (url.endsWith('/messages')) return r.chance(0.8) ? { text: pick(text(300)) } : { action: pick(r.pick(['feedback:yes', 'feedback:no', 'article:card-payment', 'agent', 'x:y'])) };
  if (url.endsWith('/rating')) return { stars: pick(1 + r.int(5)), comment: pick(text(100)) };
  if (url.endsWith('/feedback')) return { articleId: pick(r.pick(['create-account', 'delivery-times', 'nope'])), helpful: pick(r.chance(0.5) ? (url.startsWith('/help') ? 'yes' : true) : url.startsWith('/help') ? 'no' : false), comment: pick(text(100)), locale: pick('de') };
  if (url.endsWith('/reply') || url.endsWith('/notes')) return { text: pick(text(300)) };
  if (url.endsWith('/role')) return { role: pick(r.pick(['agent', 'editor', 'admin', 'root'])) };
  if (url.endsWith('/password')) return { password: pick(`pw ${randomString(r, 30)} long enough`) };
  if (url.endsWith('/admin/agents')) return { login: pick(`fuzz${r.int(1e6)}`), name: pick(text(30)), role: pick('agent'), password: pick('long enough pw') };
  if (url.endsWith('/agent/login')) return { login: pick('anna'), password: pick(randomString(r)), _csrf: pick(randomString(r)) };
  return randomJson(r) as Record<string, unknown>;
}

function deeplyNested(r: Random): string {
  const depth = 1000 + r.int(20_000);
  return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function randomBody(r: Random, url: string, contentType: string): string | undefined {
  const kind = r.int(12);
  if (kind === 0) return undefined;
  if (kind === 1) return deeplyNested(r);
  if (kind === 2) return r.pick(['{', '{"text":', '[1,2', '{"text":"a"}}', 'nul', '\u0000', '{"text":"\\ud800"}', '{"stars":1e400}', '{"text":"a","text":"b"}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}']);
  if (kind === 3) return 'x'.repeat(r.int(BODY_LIMIT + 10_000)); // around the body limit: 413 above it
  const value = plausibleBody(r, url);
  if (contentType.includes('urlencoded')) {
    return Object.entries(value ?? {}).map(([k, v]) => `${pct(k)}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&');
  }
  return JSON.stringify(value) ?? 'null';
}

function randomQuery(r: Random, url: string): string {
  const parts: string[] = [];
  const keys = ['q', 'locale', 'lang', 'limit', 'after', 'token', 'id', 'chat', '__proto__', 'constructor[prototype][x]', 'q[]', 'a[b][c]'];
  if (url.includes('search')) parts.push(`q=${pct(randomString(r))}`);
  for (let i = r.int(4); i > 0; i--) {
    const key = r.chance(0.8) ? r.pick(keys) : randomString(r, 8);
    const value = r.chance(0.5) ? pct(randomString(r)) : r.pick(['%00', '%', '%zz', '%E0%A4%A', '1e309', '-5', '99999999999999999999', '', 'de', 'en', '20']);
    parts.push(`${r.chance(0.9) ? pct(key) : key}=${value}`);
  }
  return parts.length ? `?${parts.join('&')}` : r.chance(0.1) ? '?' : '';
}

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes U+FFFD (as a browser's UTF-8 would) instead of throwing. */
function pct(value: string): string {
  return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
}

/** Header values a real client could send: visible ASCII and latin-1, no control characters. */
function headerValue(r: Random): string {
  return [...randomString(r, 60)].map((c) => (c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0xff && c.charCodeAt(0) !== 0x7f ? c : '?')).join('');
}

async function startChat(app: FastifyInstance): Promise<{ conversationId: string; token: string }> {
  return (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'de' } })).json();
}

interface Context {
  app: FastifyInstance;
  routes: Array<{ method: string; url: string }>;
  chat: { conversationId: string; token: string };
  agents: AgentClient[];
  throwawayAgentIds: number[];
  articleIds: string[];
  conversationIds: string[];
}

function fillPath(r: Random, url: string, ctx: Context): string {
  return url
    .replace(/\/agents\/:id/, () => `/agents/${r.chance(0.6) ? r.pick(ctx.throwawayAgentIds) : pct(r.pick(['0', '-1', '9007199254740993', '1e3', 'x', '', '__proto__', randomString(r, 10)]))}`)
    .replace(/:id/g, () => {
      if (url.includes('/articles/')) return r.chance(0.5) ? r.pick(ctx.articleIds) : pct(randomString(r, 30)).replace(/%2F/gi, '/');
      if (r.chance(0.5)) return r.pick([ctx.chat.conversationId, ...ctx.conversationIds]);
      return r.chance(0.8) ? pct(randomString(r, 30)) : randomString(r, 10).replace(/[?#/\s]/g, '');
    })
    .replace(/:file/g, () => (r.chance(0.3) ? r.pick(['help.css', 'help.js', 'search.js', '__proto__', 'constructor', 'toString', '..%2F..%2Fpackage.json']) : pct(randomString(r, 20))))
    .replace(/\*$/, () => pct(randomString(r, 20)));
}

async function oneRequest(r: Random, ctx: Context) {
  const route = r.pick(ctx.routes);
  // two kinds of request: well-formed ones with one nasty value (they reach the handlers), and anything goes
  return r.chance(0.4) ? send(r, ctx, route, wellFormed(r, ctx, route)) : send(r, ctx, route, anythingGoes(r, ctx, route));
}

interface Attempt {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function wellFormed(r: Random, ctx: Context, route: { method: string; url: string }): Attempt {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const agentRoute = route.url.startsWith('/api/agent') || route.url === '/agent' || route.url === '/agent/logout';
  const chatRoute = route.url.startsWith('/api/chat/conversations/');
  let url = chatRoute ? route.url.replace(':id', ctx.chat.conversationId) : fillPath(r, route.url, ctx);
  url += randomQuery(r, route.url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (agentRoute) {
    const agent = route.url.includes('/admin/') ? ctx.agents[2] : r.pick(ctx.agents);
    headers.cookie = agent.cookie;
    headers['x-csrf-token'] = agent.csrfToken;
  }
  if (chatRoute) headers.authorization = `Bearer ${ctx.chat.token}`;
  const payload = method === 'POST' ? JSON.stringify(plausibleBody(r, route.url, true)) : undefined;
  return { method, url, headers, payload };
}

function anythingGoes(r: Random, ctx: Context, route: { method: string; url: string }): Attempt {
  const method = r.chance(0.8) ? (route.method === 'HEAD' && r.chance(0.5) ? 'GET' : route.method) : r.pick(METHODS);
  let url = fillPath(r, route.url, ctx);
  // a path nothing serves (not starting with // or /\\: inject would read that as a host)
  if (r.chance(0.05)) url = `/${randomString(r, 30).replace(/[?#\s]/g, '').replace(/^[/\\]+/, '')}`;
  if (r.chance(0.03)) url = url + r.pick(['/', '//', '/.', '/..', '%2e%2e', ';x=1']);
  url += randomQuery(r, route.url);

  const headers: Record<string, string> = {};
  const contentType = r.pick(CONTENT_TYPES);
  if (contentType) headers['content-type'] = contentType;
  const agent = r.chance(0.6) ? r.pick(ctx.agents) : undefined;
  if (agent) headers.cookie = r.chance(0.9) ? agent.cookie : `${agent.cookie.split('=')[0]}=${headerValue(r)}`;
  else if (r.chance(0.2)) headers.cookie = `${r.pick(['support_desk_agent', 'support_desk_login', '__Host-support_desk_agent', 'x'])}=${headerValue(r)}`;
  if (agent && r.chance(0.85)) headers['x-csrf-token'] = agent.csrfToken;
  else if (r.chance(0.2)) headers['x-csrf-token'] = headerValue(r);
  if (r.chance(0.5)) headers.authorization = r.chance(0.7) ? `Bearer ${ctx.chat.token}` : r.pick(['Bearer', 'Bearer ', 'Basic abc', `Bearer ${headerValue(r)}`, headerValue(r)]);
  if (r.chance(0.3)) headers['accept-language'] = r.chance(0.5) ? r.pick(['de', 'en-US,en;q=0.9', '*', 'xx;q=abc', ',,,;', 'de-DE;q=0.5,en;q=1e9']) : headerValue(r);
  if (r.chance(0.2)) headers.accept = r.pick(['application/json', 'text/html', '*/*', 'image/png', headerValue(r)]);
  if (r.chance(0.2)) headers.origin = r.pick(['http://localhost:3000', 'https://evil.example', 'null', headerValue(r)]);
  if (r.chance(0.2)) headers['x-forwarded-for'] = r.pick(['203.0.113.9', '::1', 'garbage', '1.2.3.4, 5.6.7.8', headerValue(r)]);
  if (r.chance(0.1)) headers['if-none-match'] = r.pick(['*', '"abc"', headerValue(r)]);
  if (r.chance(0.1)) headers['accept-encoding'] = r.pick(['gzip', 'br', 'identity;q=0', headerValue(r)]);
  if (r.chance(0.05)) headers['x-request-id'] = headerValue(r);
  if (r.chance(0.05)) headers.upgrade = 'websocket';
  const payload = method === 'GET' || method === 'HEAD' ? (r.chance(0.05) ? 'unexpected body' : undefined) : randomBody(r, route.url, contentType);
  return { method, url, headers, payload };
}

async function send(r: Random, ctx: Context, route: { method: string; url: string }, { method, url, headers, payload }: Attempt) {
  const description = `${method} ${url.slice(0, 300)} headers=${JSON.stringify(headers).slice(0, 300)} body=${JSON.stringify(payload?.slice(0, 200))}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PER_REQUEST_MS} ms: ${description}`)), PER_REQUEST_MS)));
  try {
    const response = await Promise.race([ctx.app.inject({ method: method as any, url, headers, ...(payload !== undefined ? { payload } : {}) }), hang]);
    // the fuzz resolves the chat's conversation now and then (as an agent): start a new one to keep reaching the bot
    if (response.statusCode === 409 && url.startsWith(`/api/chat/conversations/${ctx.chat.conversationId}/messages`)) ctx.chat = await startChat(ctx.app);
    return { status: response.statusCode, description, body: response.body.slice(0, 300), route: `${route.method} ${route.url}` };
  } finally {
    clearTimeout(timer);
  }
}

describe('what the fuzzer found', () => {
  const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });

  it("a help-center asset named like an Object property (__proto__, constructor, toString) is 404, not 500", async () => {
    const { app } = await start(new Date());
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await app.inject({ method: 'GET', url: `/help/assets/${name}` })).statusCode, name).toBe(404);
    }
    expect((await app.inject({ method: 'GET', url: '/help/assets/help.css' })).statusCode).toBe(200);
  });
});

describe('fuzzing every route', () => {
  const start = appsPerTest({
    INITIAL_ADMIN_PASSWORD: 'first-admin-pw',
    // limits would turn most of the run into 429s: raise them so requests reach the handlers
    CHAT_REQUESTS_PER_MINUTE_PER_IP: '1000000',
    CHAT_MESSAGES_PER_MINUTE: '100000',
    FEEDBACK_PER_MINUTE_PER_IP: '100000',
    AGENT_LOGIN_ATTEMPTS_PER_15_MIN: '100000',
  });

  it(`${REQUESTS} seeded random requests (seed ${SEED}): no 5xx, no hang, healthy afterwards`, async () => {
    const { app } = await start(new Date('2026-11-23T09:00:00Z'));
    const r = prng(SEED);

    // every route of the OpenAPI document is among the routes fuzzed, and so are the hidden ones
    const routes = registeredRoutes(app);
    const known = new Set(routes.map((route) => `${route.method} ${route.url}`));
    const spec = (app as any).swagger() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of Object.keys(operations)) expect(known, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    for (const hidden of ['GET /help', 'GET /help/assets/:file', 'GET /agent', 'GET /agent/login', 'GET /api/agent/stream', 'GET /api/chat/conversations/:id/stream', 'GET /widget.js']) expect(known).toContain(hidden);

    for (const [login, role] of [['anna', 'agent'], ['eddie', 'editor'], ['ada', 'admin']] as const) await addAgent(app, login, login, 'correct horse', role);
    const agents = [await logIn(app, 'anna'), await logIn(app, 'eddie'), await logIn(app, 'ada')];
    const throwawayAgentIds = [];
    for (let i = 0; i < 3; i++) throwawayAgentIds.push((await addAgent(app, `throwaway${i}`, `Throwaway ${i}`)).id);
    const chat = await startChat(app);
    const conversationIds = [];
    for (let i = 0; i < 3; i++) {
      const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: `fuzz-visitor-${i}` }], null);
      const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
      await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
      conversationIds.push(conversation.id);
    }
    const ctx: Context = { app, routes, chat, agents, throwawayAgentIds, articleIds: ['card-payment', 'parcel-tracking', 'bank-transfer', 'contact-us'], conversationIds };

    const serverErrors: string[] = [];
    const statuses = new Map<number, number>();
    const servedPerRoute = new Map<string, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const { status, description, body, route } = await oneRequest(r, ctx);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status < 300) servedPerRoute.set(route, (servedPerRoute.get(route) ?? 0) + 1);
      if (status >= 500) serverErrors.push(`#${i}: ${status} ${description}\n  -> ${body}`);
    }
    if (process.env.FUZZ_VERBOSE) console.log(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), Object.fromEntries(routes.map((route) => [`${route.method} ${route.url}`, servedPerRoute.get(`${route.method} ${route.url}`) ?? 0])));
    expect(serverErrors, serverErrors.slice(0, 10).join('\n')).toEqual([]);
    // the run reached the handlers, not only the 404 and 401 walls
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);

    // healthy afterwards: ready, and a normal chat turn works
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const fresh = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'de' } })).json();
    const turn = await app.inject({
      method: 'POST',
      url: `/api/chat/conversations/${fresh.conversationId}/messages`,
      headers: { authorization: `Bearer ${fresh.token}` },
      payload: { text: 'Kann ich mit Karte bezahlen?' },
    });
    expect(turn.statusCode).toBe(200);
    expect(turn.json().messages.length).toBeGreaterThan(0);
  }, 60_000);
});
