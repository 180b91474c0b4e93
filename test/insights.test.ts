// Insights (issue 14): what the bot and the help center record, every figure of /insights and its CSV for a
// known seeded set with a fixed clock (shares add up to 100 %), who may open it, and adding a gap question
// to an article (only inside KB_DIR, 409 on a changed file, the bot answers the new wording at once).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn } from './helpers/agents.js';
import { tempDir } from './helpers/services.js';
import { insideKb } from '../server/insights/article-writer.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const start = appsPerTest({ PUBLIC_URL: 'http://localhost' });

function copyKb(): string {
  const dir = path.join(tempDir('insights-kb-'), 'kb');
  fs.cpSync(path.resolve('kb-content'), dir, { recursive: true });
  return dir;
}

async function chat(app: FastifyInstance) {
  const opened = (await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } })).json();
  const send = async (payload: object) => {
    const res = await app.inject({ method: 'POST', url: `/api/chat/conversations/${opened.conversationId}/messages`, headers: { authorization: `Bearer ${opened.token}` }, payload });
    expect(res.statusCode).toBeLessThan(300);
    return res.json();
  };
  return { id: opened.conversationId as string, send };
}

/** The cells of a table on the page, by its data-table name: header row first. */
function tableOf(html: string, name: string): string[][] {
  const table = new RegExp(`<table data-table="${name}">([\\s\\S]*?)</table>`).exec(html);
  if (!table) throw new Error(`no table ${name}`);
  return [...table[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim()));
}

const at = (iso: string) => `2026-${iso}:00.000Z`;

async function seed(app: FastifyInstance) {
  const db = app.store.db;
  await db.insertInto('customers').values({ id: 'cust', display_name: null, created_at: at('11-01T00:00') }).execute();
  const conversation = (id: string, channel: string, created: string, extra: Record<string, unknown> = {}) =>
    db.insertInto('conversations').values({ id, customer_id: 'cust', channel, locale: 'en', status: 'bot', last_seq: 0, created_at: at(created), updated_at: at(created), ...extra } as any).execute();
  await conversation('w1', 'web', '11-28T10:00', { rating: 5 });
  await conversation('w2', 'web', '11-28T11:00', { queued_at: at('11-28T11:01'), assigned_at: at('11-28T11:03'), resolved_at: at('11-28T11:20'), escalation_reason: 'no_answer', rating: 2 });
  await conversation('w3', 'web', '11-29T09:00', { queued_at: '2026-11-29T09:00:30.000Z', assigned_at: '2026-11-29T09:10:30.000Z', resolved_at: at('11-29T10:00'), escalation_reason: 'customer_request', rating: 4 });
  await conversation('w4', 'web', '11-29T10:00');
  await conversation('old', 'web', '11-01T10:00', { rating: 1 });
  await conversation('s1', 'sms', '11-29T12:00');
  await conversation('s2', 'sms', '11-30T08:00', { queued_at: at('11-30T08:00'), assigned_at: at('11-30T08:01'), escalation_reason: 'not_helpful' });
  await conversation('s3', 'sms', '11-30T09:00', { queued_at: at('11-30T09:00'), escalation_reason: 'not_helpful' });

  const turn = (created: string, channel: string, decision: string, query: string, extra: Record<string, unknown> = {}) =>
    db.insertInto('bot_turns').values({
      conversation_id: channel === 'sms' ? 's1' : 'w1', query, locale: 'en', channel, decision, articles: '[]', top_article_id: 'change-account-details', confidence: 0.5, raw_score: 7.5,
      outcome: null, picked_option: null, outcome_at: null, agent_article_id: null, created_at: at(created), ...extra,
    } as any).execute();
  await turn('11-28T10:01', 'web', 'answer', 'change my email', { outcome: 'helpful' });
  await turn('11-28T10:02', 'web', 'answer', 'new email address', { outcome: 'not_helpful' });
  await turn('11-28T10:03', 'web', 'answer_with_alternatives', 'email change', { outcome: 'picked', picked_option: 1 });
  await turn('11-28T10:04', 'web', 'suggest', 'change my address', { outcome: 'picked', picked_option: 2 });
  await turn('11-28T10:05', 'web', 'suggest', 'Change address', { outcome: 'picked', picked_option: 1 });
  await turn('11-28T10:06', 'web', 'no_match', 'Can I pay with bitcoin?', { outcome: 'asked_again', top_article_id: null });
  await turn('11-29T12:01', 'sms', 'no_match', 'pay with bitcoin', { top_article_id: null, agent_article_id: 'payment-methods' });
  await turn('11-29T12:02', 'web', 'hand_over', 'Bitcoin: can I pay with it?', { top_article_id: null });
  await turn('11-29T12:03', 'sms', 'answer', 'email', { outcome: 'asked_person' });
  await turn('11-01T12:00', 'web', 'no_match', 'outside the period', { top_article_id: null });

  const search = (created: string, query: string, shown: string[], clicked: string | null = null) =>
    db.insertInto('help_searches').values({ query, locale: 'en', result_count: shown.length, shown: JSON.stringify(shown), clicked_article_id: clicked, clicked_at: clicked ? at(created) : null, created_at: at(created) }).execute();
  await search('11-28T09:00', 'bitcoin', []);
  await search('11-28T09:01', 'Bitcoin', []);
  await search('11-28T09:02', 'invoice', ['invoice-copy', 'pay-by-invoice']);
  await search('11-28T09:03', 'return', ['missing-item'], 'missing-item');

  for (const [channel, created] of [['help_center', '11-28T08:00'], ['help_center', '11-28T08:01'], ['sms', '11-29T08:00']]) {
    await db.insertInto('article_views').values({ article_id: 'change-account-details', locale: 'en', channel, created_at: at(created) }).execute();
  }
  await db.insertInto('feedback').values({ article_id: 'change-account-details', locale: 'en', helpful: 0, channel: 'web', comment: 'did not explain the new address', conversation_id: 'w4', created_at: at('11-29T10:05') }).execute();
  await db.insertInto('feedback').values({ article_id: 'change-account-details', locale: 'en', helpful: 1, channel: 'web', comment: null, conversation_id: 'w1', created_at: at('11-28T10:05') }).execute();
  await app.repos.learned.record({ locale: 'en', articleId: 'payment-methods', question: 'do you take crypto money', source: 'agent_insert', conversationId: 'w2' });
  await app.repos.turns.rebuildCounts(); // the rows above went straight into bot_turns
}

describe('insights recording', { timeout: 120_000 }, () => {
  it('records each bot turn with calibrated confidence and raw score apart, and what the customer did next', async () => {
    const { app } = await start(NOW);
    const c = await chat(app);
    await c.send({ text: 'How do I change my email address?' });
    await c.send({ text: 'yes' });
    await c.send({ text: 'xqzv plorb wubble' });
    await c.send({ text: 'I want to talk to a person' });
    const turns = await app.store.db.selectFrom('bot_turns').selectAll().where('conversation_id', '=', c.id).orderBy('id').execute();
    expect(turns.map((t) => [t.query, t.outcome])).toEqual([
      ['How do I change my email address?', 'helpful'],
      ['xqzv plorb wubble', 'asked_person'],
    ]);
    expect([turns[0].decision, turns[0].top_article_id]).toEqual(['answer', 'change-account-details']);
    // whatever the engine made of the gibberish, the turn names the decision and its offer consistently
    expect(['answer', 'answer_with_alternatives', 'suggest', 'no_match', 'hand_over']).toContain(turns[1].decision);
    expect(turns[1].top_article_id).toBe(JSON.parse(turns[1].articles)[0]?.id ?? null);
    expect(turns[0].confidence).toBeGreaterThan(0);
    expect(turns[0].confidence).toBeLessThanOrEqual(1);
    expect(turns[0].raw_score).not.toBe(turns[0].confidence);
    expect(JSON.parse(turns[0].articles)[0]).toMatchObject({ id: 'change-account-details' });
    // the daily counts kept turn by turn equal those recomputed from the rows
    const counts = async () => ({
      turns: await app.store.db.selectFrom('bot_turn_counts').selectAll().where('n', '<>', 0).orderBy(['decision', 'outcome']).execute(),
      answers: await app.store.db.selectFrom('article_answer_counts').selectAll().orderBy('article_id').execute(),
      gaps: await app.store.db.selectFrom('gap_counts').selectAll().orderBy('wording').execute(),
    });
    const incremental = await counts();
    expect(incremental.turns.map((r) => [r.decision, r.outcome, r.n])).toContainEqual(['answer', 'helpful', 1]);
    await app.repos.turns.rebuildCounts();
    expect(await counts()).toEqual(incremental);
  });

  it('records help-center searches with the results shown and the click', async () => {
    const { app } = await start(NOW);
    const page = await app.inject({ url: '/help/search?q=change%20email%20address&lang=en' });
    const link = /href="(\/help\/click\/\d+\/[^"]+)"/.exec(page.body)![1].replace(/&amp;/g, '&');
    const click = await app.inject({ url: link });
    expect(click.statusCode).toBe(303);
    expect(click.headers.location).toMatch(/^\/help\/articles\//);
    const [search] = await app.store.db.selectFrom('help_searches').selectAll().execute();
    expect(search.query).toBe('change email address');
    expect(search.result_count).toBeGreaterThan(0);
    expect(search.clicked_article_id).toBe(JSON.parse(search.shown)[0]);
  });
});

describe('/insights', { timeout: 120_000 }, () => {
  it('shows every figure of a known seeded set, the same in the CSV, with shares adding up to 100 %', async () => {
    const { app } = await start(NOW);
    await seed(app);
    await addAgent(app, 'ed', 'Edith', 'correct horse', 'editor');
    const editor = await logIn(app, 'ed');
    const res = await editor.get('/insights?range=7');
    expect(res.statusCode).toBe(200);
    const html = res.body;

    expect(tableOf(html, 'channels')).toEqual([
      ['Channel', 'Conversations', 'Self-served', 'Self-service rate', 'Handed over', 'Hand-over rate', 'Wait (median)', 'Wait (90th pct.)', 'Time to resolve (median)', 'Ratings', 'CSAT'],
      ['sms', '3', '1', '33.3 %', '2', '66.7 %', '1 min', '1 min', '–', '0', '–'],
      ['web', '4', '1', '25.0 %', '2', '50.0 %', '2 min', '10 min', '20 min', '3', '66.7 %'],
    ]);
    expect(tableOf(html, 'handovers').slice(1)).toEqual([
      ['sms', 'not_helpful', '2', '100.0 %'],
      ['web', 'customer_request', '1', '50.0 %'],
      ['web', 'no_answer', '1', '50.0 %'],
    ]);
    const decisions = tableOf(html, 'decisions').slice(1);
    expect(decisions).toEqual([
      ['answer', '3', '33.4 %'],
      ['answer_with_alternatives', '1', '11.1 %'],
      ['suggest', '2', '22.2 %'],
      ['no_match', '2', '22.2 %'],
      ['hand_over', '1', '11.1 %'],
    ]);
    const sum = (rows: string[][], col: number) => Math.round(rows.reduce((a, r) => a + parseFloat(r[col]), 0) * 10) / 10;
    expect(sum(decisions, 2)).toBe(100);
    expect(tableOf(html, 'picks').slice(1)).toEqual([['1', '2', '66.7 %'], ['2', '1', '33.3 %']]);
    const outcomes = tableOf(html, 'outcomes').slice(1);
    expect(outcomes).toEqual([
      ['picked', '3', '33.4 %'], ['helpful', '1', '11.1 %'], ['not_helpful', '1', '11.1 %'], ['asked_person', '1', '11.1 %'], ['asked_again', '1', '11.1 %'], ['left', '2', '22.2 %'],
    ]);
    expect(sum(outcomes, 2)).toBe(100);

    // gaps grouped by the engine's analysis: three bitcoin wordings are one gap, the agent's article known
    const gapsCsv = (await editor.get('/insights/export/gaps.csv?range=7')).body;
    expect(gapsCsv).toBe(
      'Locale,Question,Times asked,Channels,Example wordings,Article an agent sent,Article the bot offered\r\n' +
        'en,bitcoin: can i pay with it?,3,sms web,bitcoin: can i pay with it? | can i pay with bitcoin? | pay with bitcoin,payment-methods,\r\n' +
        'en,change address,2,web,change address | change my address,,change-account-details\r\n',
    );
    expect(html).toContain('<q>bitcoin: can i pay with it?</q> <span class="count">3×</span>');

    expect(html).toMatch(/4 searches<\/span> <span[^>]*>2 without a result<\/span> <span[^>]*>1 without a click<\/span> <span>1 opened a result/);
    expect(tableOf(html, 'searches-no-result').slice(1)).toEqual([['en', 'bitcoin', '2']]);
    expect(tableOf(html, 'searches-no-click').slice(1)).toEqual([['en', 'invoice', '1']]);
    expect(tableOf(html, 'articles').slice(1)).toEqual([['en', 'change-account-details', '2', '4', '1', '1', '1', '2']]);
    expect(tableOf(html, 'comments').slice(1)).toEqual([['2026-11-29T10:05:00.000Z', 'en', 'change-account-details', 'no', 'did not explain the new address']]);
    expect(html).toContain('do you take crypto money');

    // rate definitions in tooltips; rendered chart elements
    expect(html).toMatch(/<th scope="col" class="num" title="Self-service rate: conversations that ended without a person/);
    expect(html).toMatch(/<svg class="chart"[\s\S]*?<path class="line series-0" d="M[\d.,LMC]+/);
    expect((html.match(/<rect class="series-\d"/g) ?? []).length).toBeGreaterThan(10);

    // the CSV of each table holds the page's figures
    expect((await editor.get('/insights/export/decisions.csv?range=7')).body).toBe(
      'Decision,Turns,Share\r\nanswer,3,33.4\r\nanswer_with_alternatives,1,11.1\r\nsuggest,2,22.2\r\nno_match,2,22.2\r\nhand_over,1,11.1\r\n',
    );
    const channelsCsv = await editor.get('/insights/export/channels.csv?range=7');
    expect(channelsCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(channelsCsv.body.split('\r\n').slice(1, 3)).toEqual(['sms,3,1,33.3,2,66.7,60,60,,0,', 'web,4,1,25,2,50,120,600,1200,3,66.7']);
    expect((await editor.get('/insights/export/outcomes.csv?range=7')).body).toContain('left,2,22.2');

    // filters: the SMS channel alone; a custom range of one day
    const sms = await editor.get('/insights?range=7&channel=sms');
    expect(tableOf(sms.body, 'decisions').slice(1).map((r) => r[1])).toEqual(['1', '0', '0', '1', '0']);
    const day = await editor.get('/insights?range=custom&from=2026-11-28&to=2026-11-28');
    expect(tableOf(day.body, 'channels').slice(1)).toEqual([['web', '2', '1', '50.0 %', '1', '50.0 %', '2 min', '2 min', '20 min', '2', '50.0 %']]);
  });

  it('lets an editor remove learned evidence', async () => {
    const { app } = await start(NOW);
    await seed(app);
    await addAgent(app, 'ed', 'Edith', 'correct horse', 'editor');
    const editor = await logIn(app, 'ed');
    const [learned] = await app.repos.learned.list();
    const res = await editor.post(`/insights/learned/${learned.id}/remove`, `_csrf=${encodeURIComponent(editor.csrfToken)}&back=range%3D7`, { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/insights\?range=7&notice=Removed/);
    expect(await app.repos.learned.list()).toEqual([]);
  });

  it('is for editors and admins: an agent gets 403 and cannot write an article', async () => {
    const kbDir = copyKb();
    const { app } = await start(NOW, { KB_DIR: kbDir });
    await addAgent(app, 'ag', 'Agnes', 'correct horse', 'agent');
    await addAgent(app, 'ad', 'Adam', 'correct horse', 'admin');
    const agent = await logIn(app, 'ag');
    expect((await agent.get('/insights')).statusCode).toBe(403);
    expect((await agent.get('/insights/export/gaps.csv')).statusCode).toBe(403);
    const file = path.join(kbDir, 'en/payment/payment-methods.md');
    const before = fs.readFileSync(file, 'utf8');
    const write = await agent.post('/insights/questions', { locale: 'en', articleId: 'payment-methods', question: 'bitcoin', loadedAt: String(Date.now() + 60_000) });
    expect(write.statusCode).toBe(403);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect((await app.inject({ url: '/insights' })).statusCode).toBe(303); // no session: to the login
    const admin = await logIn(app, 'ad');
    expect((await admin.get('/insights')).statusCode).toBe(200);
    // no CSRF token: refused
    expect((await admin.post('/insights/questions', { locale: 'en', articleId: 'payment-methods', question: 'bitcoin', loadedAt: '1' }, { 'x-csrf-token': '' })).statusCode).toBe(403);
  });

  it('never writes outside KB_DIR', async () => {
    const kbDir = copyKb();
    await expect(insideKb(kbDir, '../outside.md')).rejects.toMatchObject({ statusCode: 403 });
    await expect(insideKb(kbDir, 'en/../../outside.md')).rejects.toMatchObject({ statusCode: 403 });
    await expect(insideKb(kbDir, '/etc/passwd')).rejects.toMatchObject({ statusCode: 403 });
    fs.writeFileSync(path.join(path.dirname(kbDir), 'secret.md'), 'x');
    fs.symlinkSync(path.join(path.dirname(kbDir), 'secret.md'), path.join(kbDir, 'en', 'link.md'));
    await expect(insideKb(kbDir, 'en/link.md')).rejects.toMatchObject({ statusCode: 403 });
    const { app } = await start(NOW, { KB_DIR: kbDir });
    await addAgent(app, 'ed', 'Edith', 'correct horse', 'editor');
    const editor = await logIn(app, 'ed');
    const res = await editor.post('/insights/questions', { locale: 'en', articleId: '../../secret', question: 'x', loadedAt: String(Date.now() + 60_000) });
    expect(res.statusCode).toBe(404);
    expect(fs.readFileSync(path.join(path.dirname(kbDir), 'secret.md'), 'utf8')).toBe('x');
  });

  it('adds a gap wording to an article: only that line changes, a changed file is refused, and the bot answers it at once', async () => {
    const kbDir = copyKb();
    const { app } = await start(NOW, { KB_DIR: kbDir });
    await addAgent(app, 'ed', 'Edith', 'correct horse', 'editor');
    const editor = await logIn(app, 'ed');
    const question = 'the postman keeps using my old street';
    const before = await chat(app);
    const first = await before.send({ text: question });
    expect(JSON.stringify(first)).not.toContain('/help/articles/change-account-details');

    const file = path.join(kbDir, 'en/account/change-account-details.md');
    const original = fs.readFileSync(file, 'utf8');
    const form = (loadedAt: number) => ({ locale: 'en', articleId: 'change-account-details', question, loadedAt: String(loadedAt) });
    // the page was loaded before the file last changed: refused with a reason, nothing written
    const stale = await editor.post('/insights/questions', form(Math.floor(fs.statSync(file).mtimeMs) - 1000));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('changed after you loaded the page');
    expect(fs.readFileSync(file, 'utf8')).toBe(original);

    const added = await editor.post('/insights/questions', form(Date.now() + 1000));
    expect(added.statusCode).toBe(303);
    expect(decodeURIComponent(added.headers.location as string)).toContain(`Added “${question}” to en/account/change-account-details.md`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original.replace('  - Change my surname after getting married\n', `  - Change my surname after getting married\n  - "${question}"\n`));

    const after = await chat(app);
    const answer = await after.send({ text: question });
    expect(JSON.stringify(answer)).toContain('/help/articles/change-account-details');
  });
});
