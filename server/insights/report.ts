// The insights report: every figure is an aggregate computed by the database (GROUP BY over indexed
// ranges); JavaScript only merges the small aggregated rows and groups gap wordings by the engine's analysis.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.js';
import type { DialectName } from '../store/database.js';
import { rate, sharesOf } from './shares.js';
import { groupWordings } from './gaps.js';

export interface ReportFilter {
  /** ISO instant, inclusive */
  from: string;
  /** ISO instant, exclusive */
  to: string;
  locale?: string;
  channel?: string;
}

export const DECISIONS = ['answer', 'answer_with_alternatives', 'suggest', 'no_match', 'hand_over'] as const;
export const OUTCOMES = ['picked', 'helpful', 'not_helpful', 'asked_person', 'asked_again', 'left'] as const;
/** how many distinct gap wordings and search queries are read (the most frequent first) */
const TOP_WORDINGS = 400;
const TOP_ROWS = 50;

export interface ChannelRow {
  channel: string;
  conversations: number;
  selfServed: number;
  selfServiceRate: number | null;
  handedOver: number;
  handOverRate: number | null;
  waitMedianSeconds: number | null;
  waitP90Seconds: number | null;
  resolveMedianSeconds: number | null;
  rated: number;
  satisfied: number;
  csat: number | null;
}

export interface Report {
  filter: ReportFilter;
  channels: ChannelRow[];
  daily: Array<{ day: string; channel: string; conversations: number; selfServed: number }>;
  handovers: Array<{ channel: string; reason: string; count: number; share: number }>;
  decisions: Array<{ decision: string; count: number; share: number }>;
  picks: Array<{ option: number; count: number; share: number }>;
  outcomes: Array<{ outcome: string; count: number; share: number }>;
  gaps: Array<{ locale: string; wording: string; count: number; channels: string[]; examples: string[]; agentArticle: string | null; offeredArticle: string | null }>;
  searches: { total: number; noResult: number; withResultNoClick: number; clicked: number };
  searchesNoResult: Array<{ locale: string; query: string; count: number }>;
  searchesNoClick: Array<{ locale: string; query: string; count: number }>;
  articles: Array<{ articleId: string; locale: string; helpCenterViews: number; botAnswers: number; smsViews: number; helpful: number; notHelpful: number; followedByHandover: number }>;
  comments: Array<{ articleId: string; locale: string; helpful: boolean; comment: string; createdAt: string }>;
  learned: Array<{ id: number; locale: string; articleId: string; question: string; source: string; createdAt: string }>;
}

type Db = Kysely<Database>;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Math.round(Number(value)));

function conditions(filter: ReportFilter, columns: { created: string; locale?: string; channel?: string }): RawBuilder<unknown> {
  const parts = [sql`${sql.ref(columns.created)} >= ${filter.from}`, sql`${sql.ref(columns.created)} < ${filter.to}`];
  if (filter.locale && columns.locale) parts.push(sql`${sql.ref(columns.locale)} = ${filter.locale}`);
  if (filter.channel && columns.channel) parts.push(sql`${sql.ref(columns.channel)} = ${filter.channel}`);
  return sql.join(parts, sql` and `);
}

/** the filter on a table of daily counts: whole days (the report's periods are whole days) */
function dayConditions(filter: ReportFilter): RawBuilder<unknown> {
  const fromDay = filter.from.slice(0, 10);
  const toDay = new Date(Date.parse(filter.to) - 1).toISOString().slice(0, 10);
  const parts = [sql`day >= ${fromDay}`, sql`day <= ${toDay}`];
  if (filter.locale) parts.push(sql`locale = ${filter.locale}`);
  if (filter.channel) parts.push(sql`channel = ${filter.channel}`);
  return sql.join(parts, sql` and `);
}

async function rows<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/**
 * Nearest-rank median and 90th percentile of a duration, per channel, from the daily histogram
 * (`duration_counts`, kept by triggers): exact to the second below 1,000 s, within 0.5 % above.
 */
async function percentiles(db: Db, days: RawBuilder<unknown>, kind: 'wait' | 'resolve'): Promise<Map<string, { median: number | null; p90: number | null }>> {
  const buckets = await rows<{ channel: string; seconds: unknown; n: unknown }>(db, sql`
    select channel, seconds, sum(n) as n from duration_counts where ${days} and kind = ${kind}
    group by channel, seconds having sum(n) > 0 order by channel, seconds`);
  const byChannel = new Map<string, Array<{ seconds: number; n: number }>>();
  for (const b of buckets) {
    const list = byChannel.get(b.channel) ?? [];
    list.push({ seconds: num(b.seconds), n: num(b.n) });
    byChannel.set(b.channel, list);
  }
  const result = new Map<string, { median: number | null; p90: number | null }>();
  for (const [channel, list] of byChannel) {
    const total = list.reduce((sum, b) => sum + b.n, 0);
    // the smallest value with at least q of the values at or below it
    const rank = (q: number): number | null => {
      let seen = 0;
      for (const b of list) {
        seen += b.n;
        if (seen >= total * q) return b.seconds;
      }
      return null;
    };
    result.set(channel, { median: rank(0.5), p90: rank(0.9) });
  }
  return result;
}

export async function buildReport(db: Db, dialect: DialectName, filter: ReportFilter): Promise<Report> {
  const days = dayConditions(filter);
  // daily rollup of conversations (kept by triggers, migration 009): a few rows per day, not one per conversation
  const dailyRows = await rows<{ day: string; channel: string; reason: string | null; conversations: unknown; self_served: unknown; handed_over: unknown; rated: unknown; satisfied: unknown }>(db, sql`
    select day, channel, reason, sum(conversations) as conversations, sum(self_served) as self_served,
      sum(handed_over) as handed_over, sum(rated) as rated, sum(satisfied) as satisfied
    from conversation_counts where ${days} group by day, channel, reason having sum(conversations) > 0 order by day, channel`);
  for (const r of dailyRows) if (r.reason === '') r.reason = null;
  const byDay = new Map<string, { day: string; channel: string; conversations: number; selfServed: number }>();
  for (const r of dailyRows) {
    const key = `${r.day} ${r.channel}`;
    const d = byDay.get(key) ?? { day: r.day, channel: r.channel, conversations: 0, selfServed: 0 };
    d.conversations += num(r.conversations);
    d.selfServed += num(r.self_served);
    byDay.set(key, d);
  }
  const daily = [...byDay.values()];
  // the period's figures per channel are sums of the daily groups (a handful of rows per day)
  const channelTotals = new Map<string, { conversations: number; selfServed: number; handedOver: number; rated: number; satisfied: number }>();
  for (const r of dailyRows) {
    const t = channelTotals.get(r.channel) ?? { conversations: 0, selfServed: 0, handedOver: 0, rated: 0, satisfied: 0 };
    t.conversations += num(r.conversations);
    t.selfServed += num(r.self_served);
    t.handedOver += num(r.handed_over);
    t.rated += num(r.rated);
    t.satisfied += num(r.satisfied);
    channelTotals.set(r.channel, t);
  }
  const waits = await percentiles(db, days, 'wait');
  const resolves = await percentiles(db, days, 'resolve');
  const channels: ChannelRow[] = [...channelTotals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([channel, t]) => ({
    channel,
    conversations: t.conversations,
    selfServed: t.selfServed,
    selfServiceRate: rate(t.selfServed, t.conversations),
    handedOver: t.handedOver,
    handOverRate: rate(t.handedOver, t.conversations),
    waitMedianSeconds: waits.get(channel)?.median ?? null,
    waitP90Seconds: waits.get(channel)?.p90 ?? null,
    resolveMedianSeconds: resolves.get(channel)?.median ?? null,
    rated: t.rated,
    satisfied: t.satisfied,
    csat: rate(t.satisfied, t.rated),
  }));

  // hand-overs by reason: summed from the daily query's groups (no second scan of conversations)
  const reasonCounts = new Map<string, number>();
  for (const r of dailyRows) {
    if (num(r.handed_over) === 0) continue;
    const key = `${r.channel}\u0000${r.reason ?? 'unknown'}`;
    reasonCounts.set(key, (reasonCounts.get(key) ?? 0) + num(r.handed_over));
  }
  const handoverRows = [...reasonCounts.entries()]
    .map(([key, n]) => ({ channel: key.split('\u0000')[0], reason: key.split('\u0000')[1], n }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || b.n - a.n || a.reason.localeCompare(b.reason));
  const handovers: Report['handovers'] = [];
  for (const channel of new Set(handoverRows.map((r) => r.channel))) {
    const mine = handoverRows.filter((r) => r.channel === channel);
    const shares = sharesOf(mine.map((r) => num(r.n)));
    mine.forEach((r, i) => handovers.push({ channel, reason: r.reason, count: r.n, share: shares[i] }));
  }

  const decisionRows = await rows<{ decision: string; n: unknown }>(db, sql`select decision, sum(n) as n from bot_turn_counts where ${days} group by decision`);
  const decisionCounts = DECISIONS.map((d) => num(decisionRows.find((r) => r.decision === d)?.n));
  const decisionShares = sharesOf(decisionCounts);
  const decisions = DECISIONS.map((decision, i) => ({ decision, count: decisionCounts[i], share: decisionShares[i] }));

  const pickRows = await rows<{ option: unknown; n: unknown }>(db, sql`
    select picked_option as option, sum(n) as n from bot_turn_counts where ${days} and outcome = 'picked' group by picked_option order by picked_option`);
  const pickShares = sharesOf(pickRows.map((r) => num(r.n)));
  const picks = pickRows.map((r, i) => ({ option: num(r.option), count: num(r.n), share: pickShares[i] }));

  const outcomeRows = await rows<{ outcome: string; n: unknown }>(db, sql`select outcome, sum(n) as n from bot_turn_counts where ${days} group by outcome`);
  const outcomeCounts = OUTCOMES.map((o) => num(outcomeRows.find((r) => (r.outcome || 'left') === o)?.n));
  const outcomeShares = sharesOf(outcomeCounts);
  const outcomes = OUTCOMES.map((outcome, i) => ({ outcome, count: outcomeCounts[i], share: outcomeShares[i] }));

  const gapRows = await rows<{ locale: string; wording: string; channel: string; n: unknown; agent_article: string | null; top_article: string | null }>(db, sql`
    select locale, wording, channel, sum(n) as n, max(agent_article_id) as agent_article, max(offered_article_id) as top_article
    from gap_counts where ${days} group by locale, wording, channel order by n desc, wording limit ${TOP_WORDINGS}`);
  const gaps = groupWordings(gapRows.map((r) => ({ locale: r.locale, wording: r.wording, channel: r.channel, count: num(r.n), agentArticle: r.agent_article, offeredArticle: r.top_article }))).slice(0, TOP_ROWS);

  // daily rollup of help-center searches (kept by triggers, migration 009); they have no channel of their own
  const searchDays = dayConditions({ ...filter, channel: undefined });
  // a channel filter other than the help center leaves none
  const searchesApply = !filter.channel || filter.channel === 'help_center';
  const totals = searchesApply
    ? (await rows<{ total: unknown; no_result: unknown; no_click: unknown; clicked: unknown }>(db, sql`
      select sum(total) as total, sum(no_result) as no_result, sum(no_click) as no_click, sum(clicked) as clicked
      from help_search_counts where ${searchDays}`))[0]
    : undefined;
  const searches = { total: num(totals?.total), noResult: num(totals?.no_result), withResultNoClick: num(totals?.no_click), clicked: num(totals?.clicked) };
  const searchList = async (column: 'no_result' | 'no_click') =>
    searchesApply
      ? (await rows<{ locale: string; query: string; n: unknown }>(db, sql`
        select locale, query, sum(${sql.ref(column)}) as n from help_search_counts where ${searchDays}
        group by locale, query having sum(${sql.ref(column)}) > 0 order by n desc, query limit ${TOP_ROWS}`)).map((r) => ({ locale: r.locale, query: r.query, count: num(r.n) }))
      : [];
  const searchesNoResult = await searchList('no_result');
  const searchesNoClick = await searchList('no_click');

  const articles = await articleFigures(db, filter, days);
  const feedbackWhere = conditions(filter, { created: 'created_at', locale: 'locale', channel: 'channel' });
  const comments = (await rows<{ article_id: string; locale: string; helpful: unknown; comment: string; created_at: string }>(db, sql`
    select article_id, locale, helpful, comment, created_at from feedback where ${feedbackWhere} and comment is not null and comment <> ''
    order by created_at desc limit ${TOP_ROWS}`)).map((r) => ({ articleId: r.article_id, locale: r.locale, helpful: num(r.helpful) === 1, comment: r.comment, createdAt: r.created_at }));

  let learnedQuery = db.selectFrom('learned_questions').select(['id', 'locale', 'article_id', 'question', 'source', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200);
  if (filter.locale) learnedQuery = learnedQuery.where('locale', '=', filter.locale);
  const learned = (await learnedQuery.execute()).map((r) => ({ id: Number(r.id), locale: r.locale, articleId: r.article_id, question: r.question, source: r.source, createdAt: r.created_at }));

  return { filter, channels, daily, handovers, decisions, picks, outcomes, gaps, searches, searchesNoResult, searchesNoClick, articles, comments, learned };
}

/** Per article: views by source, feedback, and how often an answer from it was followed by a hand-over. */
async function articleFigures(db: Db, filter: ReportFilter, days: RawBuilder<unknown>): Promise<Report['articles']> {
  const viewWhere = conditions(filter, { created: 'created_at', locale: 'locale', channel: 'channel' });
  const views = await rows<{ article_id: string; locale: string; channel: string; n: unknown }>(db, sql`
    select article_id, locale, channel, sum(n) as n from article_view_counts where ${days} group by article_id, locale, channel`);
  const answers = await rows<{ article_id: string; locale: string; n: unknown; handover: unknown }>(db, sql`
    select article_id, locale, sum(answers) as n, sum(handovers) as handover
    from article_answer_counts where ${days} group by article_id, locale`);
  const feedback = await rows<{ article_id: string; locale: string; yes: unknown; no: unknown }>(db, sql`
    select article_id, locale, sum(case when helpful = 1 then 1 else 0 end) as yes, sum(case when helpful = 0 then 1 else 0 end) as no
    from feedback where ${viewWhere} group by article_id, locale`);
  const byId = new Map<string, Report['articles'][number]>();
  const entry = (articleId: string, locale: string) => {
    const key = `${locale}/${articleId}`;
    let e = byId.get(key);
    if (!e) {
      e = { articleId, locale, helpCenterViews: 0, botAnswers: 0, smsViews: 0, helpful: 0, notHelpful: 0, followedByHandover: 0 };
      byId.set(key, e);
    }
    return e;
  };
  for (const v of views) {
    if (v.channel === 'help_center') entry(v.article_id, v.locale).helpCenterViews += num(v.n);
    else if (v.channel === 'sms') entry(v.article_id, v.locale).smsViews += num(v.n);
  }
  for (const a of answers) {
    const e = entry(a.article_id, a.locale);
    e.botAnswers += num(a.n);
    e.followedByHandover += num(a.handover);
  }
  for (const f of feedback) {
    const e = entry(f.article_id, f.locale);
    e.helpful += num(f.yes);
    e.notHelpful += num(f.no);
  }
  return [...byId.values()]
    .sort((a, b) => b.followedByHandover - a.followedByHandover || b.helpCenterViews + b.botAnswers + b.smsViews - (a.helpCenterViews + a.botAnswers + a.smsViews) || a.articleId.localeCompare(b.articleId))
    .slice(0, 100);
}
