// Text with a NUL byte or a lone surrogate, on every kind of route, is stored and read back the same on
// SQLite and PostgreSQL: NULs are dropped and lone surrogates become U+FFFD once, at the edge.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { dialects, storePerTest } from './helpers/services.js';
import { addAgent, logIn } from './helpers/agents.js';
import { appsPerTest } from './helpers/app.js';

const DIRTY = 'Zoë\u0000 says \ud800 and \udc00 but keeps 😀';
const CLEAN = 'Zoë says \uFFFD and \uFFFD but keeps 😀';

describe.each(dialects)('text from outside on $name', (dialect) => {
  const stores = storePerTest(dialect);

  it('a chat message, a customer name, a feedback comment, a search and an agent reply with NUL and lone surrogates are stored and read back clean', async (ctx) => {
    const store = await stores.open(ctx);
    const app = await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'x', OPENING_HOURS: 'mon-sun 00:00-24:00' }), { store });
    try {
      await app.ready();
      const started = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', customer: { name: DIRTY } } });
      expect(started.statusCode).toBe(201);
      const chat = started.json();
      const auth = { authorization: `Bearer ${chat.token}` };
      const sent = await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: auth, payload: { text: DIRTY } });
      expect(sent.statusCode).toBe(200);
      expect(sent.json().received.text).toBe(CLEAN);
      const read = await app.inject({ method: 'GET', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: auth });
      expect(read.json().messages.find((m: any) => m.author === 'customer').text).toBe(CLEAN);
      expect((await app.repos.conversations.get(chat.conversationId))?.claimed_name).toBe(CLEAN);

      const feedback = await app.inject({ method: 'POST', url: '/api/feedback', payload: { articleId: 'create-account', locale: 'en', helpful: false, comment: DIRTY } });
      expect(feedback.statusCode).toBe(201);
      expect((await store.db.selectFrom('feedback').select('comment').execute()).map((f) => f.comment)).toEqual([CLEAN]);

      // a URL cannot carry a lone surrogate (it is UTF-8), but it can carry a NUL
      const query = encodeURIComponent('Zoë\u0000 lost my password');
      const search = await app.inject({ method: 'GET', url: `/api/search?locale=en&q=${query}` });
      expect(search.statusCode).toBe(200);
      const helpSearch = await app.inject({ method: 'GET', url: `/help/search?lang=en&q=${query}` });
      expect(helpSearch.statusCode).toBe(200);
      const queries = (await store.db.selectFrom('search_events').select('query').execute()).map((e) => e.query);
      expect(queries.filter((q) => q.includes('password'))).toEqual(['Zoë lost my password', 'Zoë lost my password']);
      // the bot searched the chat message: the same clean text
      expect(queries).toContain(CLEAN);

      await app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: auth, payload: { action: 'handoff' } });
      await addAgent(app, 'anna', 'Anna');
      const anna = await logIn(app, 'anna');
      expect((await anna.post(`/api/agent/conversations/${chat.conversationId}/claim`)).statusCode).toBe(200);
      const reply = await anna.post(`/api/agent/conversations/${chat.conversationId}/reply`, { text: DIRTY });
      expect(reply.statusCode).toBeLessThan(300);
      const stored = await app.repos.conversations.messages(chat.conversationId);
      expect(stored.filter((m) => m.author === 'agent').map((m) => m.text)).toEqual([CLEAN]);
    } finally {
      await app.close();
    }
  });
});

describe('JSON nested far deeper than any request of ours', () => {
  const start = appsPerTest();

  it('is refused with 400 and a reason, not a 500, on every kind of route', async () => {
    const { app } = await start(new Date('2026-11-30T10:00:00Z'));
    const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const deepArray = '['.repeat(5000) + ']'.repeat(5000);
    for (const [url, payload] of [['/api/chat/conversations', deepObject], ['/api/feedback', deepArray], ['/agent/login', deepArray]] as const) {
      const response = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().message, url).toMatch(/nested deeper than/);
    }
    // a normal request still works afterwards
    expect((await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).statusCode).toBe(201);
  });
});
