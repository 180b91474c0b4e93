// The insights report reads daily rollups kept by database triggers (migration 009): whatever writes
// conversations, feedback, article views and searches — inserts, later updates, deletes — the figures follow.
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { buildReport } from '../server/insights/report.js';
import type { Database } from '../server/store/schema.js';
import { dialects, storePerTest } from './helpers/services.js';

const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

async function conversation(db: Kysely<Database>, id: string, channel: string, locale: string, created: string): Promise<void> {
  await db.insertInto('conversations').values({ id, customer_id: 'cust', channel, locale, status: 'bot', last_seq: 0, created_at: created, updated_at: created } as any).execute();
}

async function feedback(db: Kysely<Database>, conversationId: string, helpful: boolean): Promise<void> {
  await db.insertInto('feedback').values({ article_id: 'a2', locale: 'en', helpful: helpful ? 1 : 0, channel: 'web', comment: null, conversation_id: conversationId, created_at: '2026-11-21T12:00:00.000Z' } as any).execute();
}

describe.each(dialects)('insights rollups on $name', (dialect) => {
  const stores = storePerTest(dialect);

  it('follow every insert, update and delete of conversations, feedback, article views and searches', async (ctx) => {
    const store = await stores.open(ctx);
    const db = store.db;
    await db.insertInto('customers').values({ id: 'cust', display_name: null, created_at: '2026-11-01T00:00:00.000Z' }).execute();

    const c1 = '2026-11-20T10:00:00.000Z';
    await conversation(db, 'c1', 'web', 'en', c1);
    await db.updateTable('conversations').set({ status: 'queued', escalation_reason: 'no_answer', queued_at: at(c1, 30) }).where('id', '=', 'c1').execute();
    await db.updateTable('conversations').set({ status: 'assigned', assigned_at: at(c1, 75) }).where('id', '=', 'c1').execute();
    await db.updateTable('conversations').set({ status: 'resolved', resolved_at: at(c1, 600), rating: 5 }).where('id', '=', 'c1').execute();
    const c2 = '2026-11-20T11:00:00.000Z';
    await conversation(db, 'c2', 'web', 'en', c2);
    await db.updateTable('conversations').set({ status: 'queued', escalation_reason: 'customer_request', queued_at: at(c2, 10) }).where('id', '=', 'c2').execute();
    await db.updateTable('conversations').set({ status: 'assigned', assigned_at: at(c2, 2513) }).where('id', '=', 'c2').execute();
    await db.updateTable('conversations').set({ status: 'resolved', resolved_at: at(c2, 4000) }).where('id', '=', 'c2').execute();
    // stays with the bot, two "not helpful": not self-served (counted once)
    await conversation(db, 'c3', 'web', 'de', '2026-11-21T09:00:00.000Z');
    await feedback(db, 'c3', false);
    await feedback(db, 'c3', false);
    // a "helpful" keeps it self-served; a low rating counts as rated, not satisfied
    await conversation(db, 'c4', 'sms', 'en', '2026-11-21T09:30:00.000Z');
    await feedback(db, 'c4', true);
    await db.updateTable('conversations').set({ rating: 2 }).where('id', '=', 'c4').execute();
    // deleted: counts nowhere
    await conversation(db, 'c5', 'web', 'en', '2026-11-20T12:00:00.000Z');
    await db.deleteFrom('conversations').where('id', '=', 'c5').execute();
    // its only "not helpful" removed again: self-served
    await conversation(db, 'c6', 'web', 'en', '2026-11-21T10:00:00.000Z');
    await feedback(db, 'c6', false);
    await db.deleteFrom('feedback').where('conversation_id', '=', 'c6').execute();

    const view = (channel: string, created: string) => db.insertInto('article_views').values({ article_id: 'a1', locale: 'en', channel, created_at: created }).execute();
    for (let i = 0; i < 3; i++) await view('help_center', '2026-11-20T08:00:00.000Z');
    await view('sms', '2026-11-21T08:00:00.000Z');
    await view('sms', '2026-11-21T08:00:01.000Z');
    await db.deleteFrom('article_views').where('created_at', '=', '2026-11-21T08:00:01.000Z').execute();

    // searches: a click recorded later moves one from "no click" to "clicked"; queries are grouped lower-cased
    const search = (query: string, results: number) => db.insertInto('help_searches').values({ query, locale: 'en', result_count: results, shown: '[]', clicked_article_id: null, clicked_at: null, created_at: '2026-11-21T07:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
    await search('Refund', 0);
    await search('refund', 0);
    await search('Invoice', 2);
    const clicked = await search('invoice', 2);
    await db.updateTable('help_searches').set({ clicked_article_id: 'a1', clicked_at: '2026-11-21T07:00:05.000Z' }).where('id', '=', Number(clicked.id)).execute();

    const report = await buildReport(db, store.dialect, { from: '2026-11-20T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' });
    expect(report.channels).toEqual([
      { channel: 'sms', conversations: 1, selfServed: 1, selfServiceRate: 100, handedOver: 0, handOverRate: 0, waitMedianSeconds: null, waitP90Seconds: null, resolveMedianSeconds: null, rated: 1, satisfied: 0, csat: 0 },
      // a 2,503 s wait lands in the 2,500 s bucket (three significant digits above 1,000 s); below, to the second
      { channel: 'web', conversations: 4, selfServed: 1, selfServiceRate: 25, handedOver: 2, handOverRate: 50, waitMedianSeconds: 45, waitP90Seconds: 2500, resolveMedianSeconds: 600, rated: 1, satisfied: 1, csat: 100 },
    ]);
    expect(report.daily).toEqual([
      { day: '2026-11-20', channel: 'web', conversations: 2, selfServed: 0 },
      { day: '2026-11-21', channel: 'sms', conversations: 1, selfServed: 1 },
      { day: '2026-11-21', channel: 'web', conversations: 2, selfServed: 1 },
    ]);
    expect(report.handovers.map((h) => [h.channel, h.reason, h.count]).sort()).toEqual([['web', 'customer_request', 1], ['web', 'no_answer', 1]]);
    expect(report.articles.find((a) => a.articleId === 'a1')).toMatchObject({ helpCenterViews: 3, smsViews: 1 });
    expect(report.searches).toEqual({ total: 4, noResult: 2, withResultNoClick: 1, clicked: 1 });
    expect(report.searchesNoResult).toEqual([{ locale: 'en', query: 'refund', count: 2 }]);
    expect(report.searchesNoClick).toEqual([{ locale: 'en', query: 'invoice', count: 1 }]);

    const secondDay = await buildReport(db, store.dialect, { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z', channel: 'web' });
    expect(secondDay.channels).toEqual([expect.objectContaining({ channel: 'web', conversations: 2, selfServed: 1, handedOver: 0, waitMedianSeconds: null })]);
    expect(secondDay.articles.find((a) => a.articleId === 'a1')).toBeUndefined();
  });
});
