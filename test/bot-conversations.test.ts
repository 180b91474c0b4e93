// The bot through botbuilder's TestAdapter, driven by the scripts in testData/bot-scripts.ts.
import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Activity } from 'botbuilder';
import { SupportBot } from '../bot/support-bot.js';
import { TranscriptMiddleware } from '../bot/transcript-middleware.js';
import { transcriptEntryOf } from '../bot/replies/index.js';
import type { EscalationContext, EscalationReason, Handoff, KbSearchResult, KnowledgeBase, LearningLog, TranscriptEntry } from '../bot/ports.js';
import { kbAnswers, scripts, type ExpectedReply, type Script } from './testData/bot-scripts.js';

function fakeKnowledgeBase(calibration: KbSearchResult['calibration'] = { answerAt: 0.6, suggestAt: 0.25 }): KnowledgeBase & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    locales: () => ['de', 'en'],
    async search(query, locale) {
      queries.push(`${locale}:${query}`);
      const found = kbAnswers.find((a) => a.locale === locale && a.pattern.test(query));
      return { hits: found?.hits ?? [], calibration };
    },
  };
}

function fakeHandoff() {
  const withHuman = new Set<string>();
  const escalations: Array<{ conversationId: string; reason: EscalationReason; context: EscalationContext }> = [];
  const handoff: Handoff = {
    async isWithHuman(id) {
      return withHuman.has(id);
    },
    async escalate(ref, reason, context) {
      withHuman.add(ref.conversationId);
      escalations.push({ conversationId: ref.conversationId, reason, context });
      return { kind: 'queued', reason, position: 1, waitMinutes: 3 };
    },
  };
  return { handoff, escalations };
}

function setup(locale: Script['locale'], storage = new MemoryStorage(), calibration?: KbSearchResult['calibration']) {
  const kb = fakeKnowledgeBase(calibration);
  const learned: Array<Parameters<LearningLog['record']>[0]> = [];
  const { handoff, escalations } = fakeHandoff();
  const searches: unknown[] = [];
  const feedback: Array<{ articleId: string; helpful: boolean }> = [];
  const transcript: Array<{ conversationId: string; entry: TranscriptEntry }> = [];
  const bot = new SupportBot({
    knowledgeBase: kb,
    handoff,
    clock: { now: () => new Date('2025-03-03T10:00:00Z') },
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    searchLog: { record: async (e) => void searches.push(e) },
    feedbackLog: { record: async (e) => void feedback.push({ articleId: e.articleId, helpful: e.helpful }) },
    learningLog: { record: async (e) => void learned.push(e) },
    options: { missesBeforeEscalation: 2 },
  });
  const adapter = new TestAdapter((context) => bot.run(context), { channelId: 'web', ...(locale ? { locale } : {}) });
  if (!locale) {
    (adapter as any).locale = undefined;
    (adapter.conversation as any).locale = undefined;
  }
  adapter.use(new TranscriptMiddleware({ append: async (conversationId, entry) => void transcript.push({ conversationId, entry }) }));
  return { adapter, bot, kb, escalations, searches, feedback, transcript, storage, learned };
}

/** Sends one customer turn and returns every reply it produced. */
async function turn(adapter: TestAdapter, step: { say?: string; press?: string }): Promise<Partial<Activity>[]> {
  const activity: Partial<Activity> = step.press ? { ...adapter.makeActivity(step.press), value: { action: step.press } } : adapter.makeActivity(step.say);
  if (!step.press && (adapter as any).locale === undefined) delete activity.locale;
  await adapter.receiveActivity(activity);
  const replies: Partial<Activity>[] = [];
  for (let next = adapter.getNextReply(); next; next = adapter.getNextReply()) replies.push(next);
  return replies;
}

function matches(activity: Partial<Activity>, expected: ExpectedReply, where: string): void {
  const entry = transcriptEntryOf(activity);
  if (expected.author) expect(entry.author, where).toBe(expected.author);
  if (expected.text) expect(entry.text, where).toMatch(expected.text);
  if (expected.articles) expect(entry.payload?.articles?.map((a) => a.id), where).toEqual(expected.articles);
  if (expected.suggestions) expect(entry.payload?.suggestions?.map((s) => s.action), where).toEqual(expected.suggestions);
  if (expected.quickReplies) expect(entry.payload?.quickReplies?.map((q) => q.action), where).toEqual(expected.quickReplies);
  if (expected.decision) expect(entry.payload?.decision, where).toBe(expected.decision);
}

describe('SupportBot conversation scripts', () => {
  it.each(scripts)('$name', async (script) => {
    const { adapter, escalations, feedback } = setup(script.locale);
    for (const [index, step] of script.steps.entries()) {
      const replies = await turn(adapter, step);
      const where = `step ${index + 1} (${step.say ?? step.press})`;
      expect(replies.map((r) => transcriptEntryOf(r).text), where).toHaveLength(step.replies.length);
      step.replies.forEach((expected, i) => matches(replies[i], expected, `${where}, reply ${i + 1}`));
    }
    expect(escalations.map((e) => e.reason)).toEqual((script.escalations ?? []).map((e) => e.reason));
    (script.escalations ?? []).forEach((expected, i) => {
      if (expected.offeredArticleIds) expect(escalations[i].context.offeredArticleIds).toEqual(expected.offeredArticleIds);
      if (expected.feedback) expect(escalations[i].context.feedback).toEqual(expected.feedback);
    });
    expect(feedback).toEqual(script.feedback ?? []);
  });
});

describe('SupportBot', () => {
  it('greets a customer who joins, in the channel locale', async () => {
    const { adapter } = setup('de');
    await adapter
      .send({ type: 'conversationUpdate', membersAdded: [adapter.conversation.user!] })
      .assertReply((activity) => {
        expect(activity.text).toMatch(/^Hallo!/);
      })
      .assertNoReply();
  });

  it('records every KB question with its decision, top article and confidence', async () => {
    const { adapter, searches } = setup('en');
    await turn(adapter, { say: 'When will my card arrive?' });
    await turn(adapter, { say: 'Something unknown' });
    expect(searches).toEqual([
      { query: 'When will my card arrive?', locale: 'en', channel: 'web', decision: 'answer', topArticleId: 'card-arrival', score: 0.92, conversationId: 'Convo1' },
      { query: 'Something unknown', locale: 'en', channel: 'web', decision: 'no_match', topArticleId: null, score: null, conversationId: 'Convo1' },
    ]);
  });

  it('a stated locale is not overridden by what the customer writes', async () => {
    const { adapter, kb } = setup('de');
    await turn(adapter, { say: 'When will my card arrive?' });
    expect(kb.queries).toEqual(['de:When will my card arrive?']);
  });

  it('the transcript middleware writes the customer message and every reply, in order', async () => {
    const { adapter, transcript } = setup('en');
    await turn(adapter, { say: 'When will my card arrive?' });
    await turn(adapter, { press: 'feedback:yes' });
    expect(transcript.map((t) => [t.entry.author, t.entry.text])).toEqual([
      ['customer', 'When will my card arrive?'],
      ['bot', 'This article should help:'],
      ['bot', 'Did this answer your question?'],
      ['customer', 'feedback:yes'],
      ['bot', 'Great, glad I could help! Anything else?'],
    ]);
    expect(transcript[1].entry.payload).toEqual({
      decision: 'answer',
      articles: [{ id: 'card-arrival', title: 'When will my card arrive?', summary: 'New cards arrive within 3 to 5 working days.', url: 'https://help.example/en/card-arrival' }],
    });
    expect(transcript[3].entry.payload).toEqual({ action: 'feedback:yes' });
    expect(new Set(transcript.map((t) => t.conversationId))).toEqual(new Set(['Convo1']));
  });

  it('a suggestion the customer picks is kept as evidence for that article, with the question it was offered for', async () => {
    const { adapter, learned } = setup('en');
    await turn(adapter, { say: 'how much money can I send' });
    await turn(adapter, { press: 'article:fees' });
    expect(learned).toEqual([{ question: 'how much money can I send', articleId: 'fees', locale: 'en', source: 'customer_pick', conversationId: 'Convo1' }]);
    // an answer the bot gave by itself is no evidence
    await turn(adapter, { say: 'When will my card arrive?' });
    await turn(adapter, { press: 'feedback:yes' });
    expect(learned).toHaveLength(1);
  });

  it('when it is likely but not sure, answers with the best article and offers the runner-up ("or did you mean")', async () => {
    const { adapter, learned } = setup('en', new MemoryStorage(), { answerAt: 0.6, alternativesAt: 0.35, suggestAt: 0.25 });
    const replies = await turn(adapter, { say: 'how much money can I send' });
    matches(replies[0], { text: /should help/, articles: ['transfer-limits'], decision: 'answer_with_alternatives' }, 'the answer');
    matches(replies[1], { text: /Did this answer.*Or did you mean/, suggestions: ['article:fees'], quickReplies: ['feedback:yes', 'feedback:no', 'handoff'] }, 'the question under it');
    // the customer takes the alternative: it is shown, and their question counts for it
    const picked = await turn(adapter, { press: 'article:fees' });
    matches(picked[0], { articles: ['fees'], decision: 'answer' }, 'the alternative');
    expect(learned.map((l) => [l.question, l.articleId])).toEqual([['how much money can I send', 'fees']]);
  });

  it('keeps its state in the Storage: a new bot on the same storage continues the conversation', async () => {
    const storage = new MemoryStorage();
    const first = setup('en', storage);
    await turn(first.adapter, { say: 'My frobnicator is wobbling' });
    const second = setup('en', storage);
    const replies = await turn(second.adapter, { say: 'The zorblax will not start' });
    expect(second.escalations.map((e) => e.reason)).toEqual(['no_answer']);
    expect(replies.at(-1)?.text).toMatch(/queue/);
  });
});
