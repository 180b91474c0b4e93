// /insights for editors and admins: the report page (server-rendered, SVG charts), CSV export of each
// table, adding a customer's wording to an article, and removing learned evidence. Registered in the
// agent scope (session cookie, CSRF); agents without the editor or admin role get 403.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgentAuth } from '../handoff/auth.js';
import { buildReport, type Report, type ReportFilter } from './report.js';
import { DEFINITIONS, formatCell, tablesOf, toCsv, type Table } from './tables.js';
import { barChart, lineChart, shareBar } from './charts.js';
import { addAlternativeQuestion, articleSkeleton, ArticleWriteError } from './article-writer.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TEMPLATE = path.join(ROOT, 'server', 'views', 'insights', 'insights.hbs');
const STYLES = path.join(ROOT, 'public', 'insights.css');
/** who may open insights and edit articles from it */
export const INSIGHTS_ROLES = ['editor', 'admin'] as const;
const CHANNELS = ['web', 'sms', 'voice'] as const;
const DAY_MS = 86_400_000;

const DAY = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Filters = Type.Object({
  range: Type.Optional(Type.Union([Type.Literal('7'), Type.Literal('30'), Type.Literal('90'), Type.Literal('custom')])),
  from: Type.Optional(Type.Union([DAY, Type.Literal('')])),
  to: Type.Optional(Type.Union([DAY, Type.Literal('')])),
  locale: Type.Optional(Type.String({ pattern: '^[A-Za-z_-]{0,20}$' })),
  channel: Type.Optional(Type.Union([Type.Literal(''), ...CHANNELS.map((c) => Type.Literal(c))])),
  notice: Type.Optional(Type.String({ maxLength: 300 })),
});
type FilterQuery = {
  range?: '7' | '30' | '90' | 'custom';
  from?: string;
  to?: string;
  locale?: string;
  channel?: string;
  notice?: string;
};
const BACK = Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9=&%._+-]*$' }));

// an environment of its own, so the partial does not leak into other pages' handlebars
const views = Handlebars.create();
let compiled: Handlebars.TemplateDelegate | undefined;
function render(data: Record<string, unknown>): string {
  if (!compiled) {
    views.registerPartial('table', fs.readFileSync(path.join(path.dirname(TEMPLATE), 'table.hbs'), 'utf8'));
    compiled = views.compile(fs.readFileSync(TEMPLATE, 'utf8'), { strict: false });
  }
  return compiled(data);
}

/** The report's period: the last 7/30/90 days up to now, or whole custom days (UTC). */
export function filterOf(query: FilterQuery, now: Date): ReportFilter & { range: string; fromDay: string; toDay: string } {
  let from: Date;
  let to: Date;
  const range = query.range ?? '30';
  if (range === 'custom' && query.from && query.to && query.from <= query.to) {
    from = new Date(`${query.from}T00:00:00.000Z`);
    to = new Date(Date.parse(`${query.to}T00:00:00.000Z`) + DAY_MS);
  } else {
    // the last N whole days (UTC), today included: bot figures are counted per day
    const days = range === 'custom' ? 30 : Number(range);
    to = new Date(Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`) + DAY_MS);
    from = new Date(to.getTime() - days * DAY_MS);
  }
  return {
    range,
    from: from.toISOString(),
    to: to.toISOString(),
    fromDay: from.toISOString().slice(0, 10),
    toDay: new Date(to.getTime() - 1).toISOString().slice(0, 10),
    ...(query.locale ? { locale: query.locale } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
  };
}

function allowed(request: FastifyRequest): boolean {
  const role = request.agentSession?.agent.role;
  return role !== undefined && (INSIGHTS_ROLES as readonly string[]).includes(role);
}

function forbidden(request: FastifyRequest, reply: FastifyReply) {
  const role = request.agentSession?.agent.role ?? 'none';
  return reply.code(403).type('text/html; charset=utf-8').send(page403(role));
}

function page403(role: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not allowed</title><link rel="stylesheet" href="/insights/assets/insights.css"></head><body><main class="narrow"><h1>Not allowed</h1><p>Your role (${Handlebars.escapeExpression(role)}) may not open insights: editors and admins only.</p><p><a href="/agent">Back to the console</a></p></main></body></html>`;
}

function days(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t <= Date.parse(`${toDay}T00:00:00Z`) && out.length < 400; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function charts(report: Report, fromDay: string, toDay: string) {
  const allDays = days(fromDay, toDay);
  const channels = [...new Set(report.daily.map((d) => d.channel))].sort();
  const value = (channel: string, day: string) => report.daily.find((d) => d.channel === channel && d.day === day);
  const conversations = lineChart({
    title: 'Conversations per day',
    description: `Conversations started per day and channel, ${fromDay} to ${toDay}.`,
    days: allDays,
    series: channels.map((c) => ({ name: c, points: allDays.map((day) => ({ day, value: value(c, day)?.conversations ?? 0 })) })),
  });
  const selfService = lineChart({
    title: 'Self-service rate per day',
    description: DEFINITIONS.selfServiceRate,
    days: allDays,
    unit: ' %',
    max: 100,
    series: channels.map((c) => ({
      name: c,
      points: allDays.map((day) => {
        const d = value(c, day);
        return { day, value: d && d.conversations > 0 ? Math.round((d.selfServed * 1000) / d.conversations) / 10 : null };
      }),
    })),
  });
  return {
    conversations,
    selfService,
    handovers: barChart({ title: 'Hand-overs by reason', description: 'Hand-overs per channel and reason, with the share of the channel’s hand-overs.', items: report.handovers.map((h) => ({ label: `${h.channel}: ${h.reason}`, value: h.count, note: `${h.share.toFixed(1)} %` })) }),
    decisionsBar: shareBar({ title: 'Bot decisions (100 %)', parts: report.decisions.map((d) => ({ label: d.decision, share: d.share })) }),
    decisions: barChart({ title: 'Bot decisions', description: DEFINITIONS.decisionShare, items: report.decisions.map((d) => ({ label: d.decision.replace(/_/g, ' '), value: d.count, note: `${d.share.toFixed(1)} %` })) }),
    picks: barChart({ title: 'Suggestion picked', description: DEFINITIONS.pickShare, items: report.picks.map((p) => ({ label: `option ${p.option}`, value: p.count, note: `${p.share.toFixed(1)} %` })) }),
    outcomes: barChart({ title: 'What customers did next', description: DEFINITIONS.outcomeShare, items: report.outcomes.map((o) => ({ label: o.outcome.replace(/_/g, ' '), value: o.count, note: `${o.share.toFixed(1)} %` })) }),
  };
}

function tableView(table: Table, exportQuery: string) {
  return {
    name: table.name,
    title: table.title,
    csv: `/insights/export/${table.name}.csv${exportQuery}`,
    columns: table.columns.map((c) => ({ label: c.label, definition: c.definition, numeric: c.kind !== 'text' })),
    rows: table.rows.map((row) => table.columns.map((c) => ({ text: formatCell(c, row[c.key]), numeric: c.kind !== 'text' }))),
    empty: table.rows.length === 0,
  };
}

function queryString(query: FilterQuery): string {
  const params = new URLSearchParams();
  for (const key of ['range', 'from', 'to', 'locale', 'channel'] as const) if (query[key]) params.set(key, query[key]!);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export default async function insightsRoutes(scope: FastifyInstance, { auth }: { auth: AgentAuth }) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const pageHooks = { onRequest: auth.requirePageSession, helmet: app.securityHeaders.agentPage };

  app.get('/insights/assets/insights.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(STYLES)));

  app.get('/insights', { schema: { hide: true, querystring: Filters }, ...pageHooks }, async (request, reply) => {
    if (!allowed(request)) return forbidden(request, reply);
    const started = performance.now();
    const query = request.query as FilterQuery;
    const filter = filterOf(query, app.clock.now());
    const report = await buildReport(app.store.db, app.store.dialect, filter);
    const queried = performance.now();
    const exportQuery = queryString(query);
    const tables = tablesOf(report);
    const byName = new Map(tables.map((t) => [t.name, tableView(t, exportQuery)]));
    const locales = app.kb.locales();
    const articleChoices = locales.map((locale) => ({ locale, articles: app.kb.articles(locale).map((a) => ({ id: a.id, title: a.title })) }));
    const gaps = report.gaps.map((g, i) => ({
      ...g,
      index: i,
      channelsText: g.channels.join(', '),
      otherWordings: g.examples.filter((e) => e !== g.wording),
      suggestedArticle: g.agentArticle ?? g.offeredArticle ?? '',
      skeleton: articleSkeleton(g.locale, g.wording, g.examples),
    }));
    const html = render({
      csrfToken: request.agentSession!.csrfToken,
      agentName: request.agentSession!.agent.display_name,
      filter,
      query,
      back: exportQuery.slice(1),
      ranges: ['7', '30', '90', 'custom'].map((r) => ({ value: r, label: r === 'custom' ? 'Custom' : `${r} days`, selected: filter.range === r })),
      locales: [{ value: '', label: 'All locales', selected: !query.locale }, ...locales.map((l) => ({ value: l, label: l, selected: query.locale === l }))],
      channels: [{ value: '', label: 'All channels', selected: !query.channel }, ...CHANNELS.map((c) => ({ value: c, label: c, selected: query.channel === c }))],
      notice: query.notice,
      charts: charts(report, filter.fromDay, filter.toDay),
      definitions: DEFINITIONS,
      searches: report.searches,
      gaps,
      gapsCsv: byName.get('gaps')!.csv,
      articleChoices,
      learned: report.learned,
      learnedCsv: byName.get('learned')!.csv,
      tables: Object.fromEntries(byName),
      loadedAt: Date.now(),
    });
    reply.header('server-timing', `db;dur=${(queried - started).toFixed(1)}, render;dur=${(performance.now() - queried).toFixed(1)}`);
    return reply.headers({ 'cache-control': 'no-store' }).type('text/html; charset=utf-8').send(html);
  });

  app.get('/insights/export/:file', {
    schema: { hide: true, params: Type.Object({ file: Type.String({ pattern: '^[a-z-]{1,40}\\.csv$' }) }), querystring: Filters },
    ...pageHooks,
  }, async (request, reply) => {
    if (!allowed(request)) return forbidden(request, reply);
    const name = request.params.file.replace(/\.csv$/, '');
    const filter = filterOf(request.query as FilterQuery, app.clock.now());
    const table = tablesOf(await buildReport(app.store.db, app.store.dialect, filter)).find((t) => t.name === name);
    if (!table) return reply.code(404).type('text/plain').send(`No table "${name}".`);
    return reply
      .headers({ 'content-disposition': `attachment; filename="insights-${name}-${filter.fromDay}-${filter.toDay}.csv"`, 'cache-control': 'no-store' })
      .type('text/csv; charset=utf-8')
      .send(toCsv(table));
  });

  app.post('/insights/questions', {
    schema: {
      hide: true,
      body: Type.Object({
        _csrf: Type.Optional(Type.String({ maxLength: 200 })),
        locale: Type.String({ pattern: '^[A-Za-z_-]{1,20}$' }),
        articleId: Type.String({ minLength: 1, maxLength: 200 }),
        question: Type.String({ minLength: 1, maxLength: 500 }),
        loadedAt: Type.String({ pattern: '^\\d{1,16}$' }),
        back: BACK,
      }),
    },
    onRequest: auth.requirePageSession,
    preValidation: auth.requireCsrf,
    helmet: app.securityHeaders.agentPage,
  }, async (request, reply) => {
    if (!allowed(request)) return forbidden(request, reply);
    const { locale, articleId, question, loadedAt, back } = request.body;
    const article = app.kb.article(articleId, locale);
    try {
      if (!article) throw new ArticleWriteError(404, `There is no article "${articleId}" in ${locale}.`);
      await addAlternativeQuestion({ kbDir: app.config.kbDir, articlePath: article.path, question, loadedAt: Number(loadedAt) });
    } catch (error) {
      if (!(error instanceof ArticleWriteError)) throw error;
      request.log.warn({ articleId, locale, status: error.statusCode }, `adding a question refused: ${error.message}`);
      return reply.code(error.statusCode).type('text/html; charset=utf-8').send(messagePage('The question was not added', error.message, back));
    }
    // the bot answers the new wording at once: rebuild now instead of waiting for the file watcher
    const { ok, problems } = await app.kb.reload();
    request.log.info({ articleId, locale, editor: request.agentSession!.agent.login }, 'alternative question added from insights');
    const notice = ok ? `Added “${question.trim()}” to ${article!.path}.` : `Added to ${article!.path}, but the knowledge base reports problems: ${problems[0]?.message ?? ''}`;
    return reply.redirect(`/insights?${back ? `${back}&` : ''}notice=${encodeURIComponent(notice.slice(0, 290))}`, 303);
  });

  app.post('/insights/learned/:id/remove', {
    schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), back: BACK }) },
    onRequest: auth.requirePageSession,
    preValidation: auth.requireCsrf,
    helmet: app.securityHeaders.agentPage,
  }, async (request, reply) => {
    if (!allowed(request)) return forbidden(request, reply);
    const removed = await app.repos.learned.remove(request.params.id);
    if (removed) await app.kb.reload();
    const back = request.body.back;
    const notice = removed ? 'Removed the learned question; the engine no longer uses it.' : 'That learned question was already removed.';
    return reply.redirect(`/insights?${back ? `${back}&` : ''}notice=${encodeURIComponent(notice)}`, 303);
  });
}

function messagePage(title: string, message: string, back: string | undefined): string {
  const e = Handlebars.escapeExpression;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><link rel="stylesheet" href="/insights/assets/insights.css"></head><body><main class="narrow"><h1>${e(title)}</h1><p class="problem" role="alert">${e(message)}</p><p><a href="/insights${back ? `?${e(back)}` : ''}">Back to insights</a></p></main></body></html>`;
}
