// Learned evidence (issue 11): questions usage tied to an article are stored once, listed and removed by
// editors, learnt by the search engine at its next build, and collected from agents' replies.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../server/store/database.js';
import { LearnedEvidenceRepository } from '../server/store/learned.js';
import { createKnowledgeBase } from '../server/kb/service.js';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn } from './helpers/agents.js';
import { dialects, storePerTest } from './helpers/services.js';

describe.each(dialects)('learned questions on $name', (dialect) => {
  const stores = storePerTest(dialect);

  it('keeps a question once per article, lists the newest first by locale and article, and removes one', async (ctx) => {
    const store: Store = await stores.open(ctx);
    const learned = new LearnedEvidenceRepository(store.db);
    expect(await learned.record({ locale: 'en', articleId: 'refund', question: 'i paid twice by mistake', source: 'customer_pick', conversationId: 'c1' })).toBe(true);
    expect(await learned.record({ locale: 'en', articleId: 'refund', question: '  I paid twice   by mistake ', source: 'agent_insert' })).toBe(false);
    expect(await learned.record({ locale: 'en', articleId: 'late-payment', question: 'i paid twice by mistake', source: 'agent_insert' })).toBe(true);
    expect(await learned.record({ locale: 'de', articleId: 'refund', question: 'doppelt bezahlt', source: 'customer_pick' })).toBe(true);
    expect(await learned.record({ locale: 'en', articleId: 'refund', question: '   ', source: 'customer_pick' })).toBe(false);
    const english = await learned.list({ locale: 'en' });
    expect(english.map((l) => [l.articleId, l.question, l.source])).toEqual([
      ['late-payment', 'i paid twice by mistake', 'agent_insert'],
      ['refund', 'i paid twice by mistake', 'customer_pick'],
    ]);
    expect((await learned.list({ articleId: 'refund' })).map((l) => l.locale)).toEqual(['de', 'en']);
    expect(await learned.remove(english[1].id)).toBe(true);
    expect(await learned.remove(english[1].id)).toBe(false);
    expect(await learned.forLocale('en')).toEqual([{ articleId: 'late-payment', question: 'i paid twice by mistake' }]);
  });
});

describe('the search engine learns from usage', () => {
  it('a learned question changes the answer at the next build, and is forgotten when removed', async () => {
    let learned: Array<{ articleId: string; question: string }> = [];
    const kb = await createKnowledgeBase({ kbDir: path.resolve('kb-content'), publicUrl: 'http://localhost', locales: ['en'], learnedQuestions: async (locale) => (locale === 'en' ? learned : []) });
    try {
      const question = 'the courier says i refused the parcel but i never did';
      const top = async () => (await kb.search(question, 'en')).hits[0]?.id;
      const before = await top();
      expect(before).not.toBe('callback');
      // agents answered this kind of question twice with the callback article (one question from another
      // topic than its article's is outweighed by the category model: the question is about delivery)
      learned = [
        { articleId: 'callback', question: 'the courier claims i refused the parcel, that is not true' },
        { articleId: 'callback', question: 'delivery driver marked my parcel as refused but i was home' },
      ];
      expect(await top()).toBe(before); // not before the next build
      await kb.reload();
      expect(await top()).toBe('callback');
      learned = [];
      await kb.reload();
      expect(await top()).toBe(before);
    } finally {
      await kb.close();
    }
  }, 90_000); // three builds of a KB (training and calibration) on a shared machine
});

describe('learned questions for editors', () => {
  const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });
  const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');

  async function withLearned(app: FastifyInstance) {
    await app.repos.learned.record({ locale: 'en', articleId: 'order-status', question: 'where is my stuff', source: 'customer_pick', conversationId: null });
    return (await app.repos.learned.list())[0].id;
  }

  it('an editor lists them and removes a wrong one; agents may not; no session is a 401', async () => {
    const { app } = await start(MONDAY_MORNING);
    const id = await withLearned(app);
    await addAgent(app, 'erin', 'Erin', undefined, 'editor');
    await addAgent(app, 'anna', 'Anna');
    const editor = await logIn(app, 'erin');
    const agent = await logIn(app, 'anna');

    expect((await app.inject({ method: 'GET', url: '/api/agent/kb/learned' })).statusCode).toBe(401);
    expect((await agent.get('/api/agent/kb/learned')).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/agent/kb/learned/${id}`, headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken } })).statusCode).toBe(403);

    const listed = await editor.get('/api/agent/kb/learned?locale=en');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().learned).toEqual([expect.objectContaining({ id, articleId: 'order-status', question: 'where is my stuff', source: 'customer_pick' })]);
    // a state change needs the session's CSRF token
    expect((await app.inject({ method: 'DELETE', url: `/api/agent/kb/learned/${id}`, headers: { cookie: editor.cookie } })).statusCode).toBe(403);
    const removed = await app.inject({ method: 'DELETE', url: `/api/agent/kb/learned/${id}`, headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken } });
    expect(removed.statusCode).toBe(204);
    expect((await editor.get('/api/agent/kb/learned')).json().learned).toEqual([]);
    const again = await app.inject({ method: 'DELETE', url: `/api/agent/kb/learned/${id}`, headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken } });
    expect(again.statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/agent/kb/learned/abc', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken } })).statusCode).toBe(400);
  });

  it("an agent's reply that sends an article makes the customer's question evidence for it", async () => {
    const { app } = await start(MONDAY_MORNING);
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: 'visitor-1' }]);
    const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
    await app.transcript.append(conversation.id, { author: 'customer', text: 'my parcel says delivered but it is not here' });
    await app.transcript.append(conversation.id, { author: 'customer', text: 'No', payload: { action: 'feedback:no' } });
    await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'not_helpful', { offeredArticleIds: [], feedback: [] });
    expect((await anna.post(`/api/agent/conversations/${conversation.id}/claim`)).statusCode).toBe(200);
    const link = `${app.config.publicUrl}/help/articles/missing-item?lang=en`;
    expect((await anna.post(`/api/agent/conversations/${conversation.id}/reply`, { text: `Sorry about that! Please see\n${link}` })).statusCode).toBe(200);
    // a link to an article the KB does not have teaches nothing
    expect((await anna.post(`/api/agent/conversations/${conversation.id}/reply`, { text: `${app.config.publicUrl}/help/articles/no-such-article?lang=en` })).statusCode).toBe(200);
    let learned = await app.repos.learned.list();
    for (let i = 0; i < 50 && learned.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      learned = await app.repos.learned.list();
    }
    expect(learned.map((l) => [l.articleId, l.question, l.source, l.conversationId])).toEqual([['missing-item', 'my parcel says delivered but it is not here', 'agent_insert', conversation.id]]);
  });
});
