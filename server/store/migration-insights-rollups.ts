// --- 009_insights_rollups (issue 14, insights speed): daily rollups of conversations, wait / resolve
// times, article views and help-center searches, so /insights sums a few hundred rows per day instead of scanning every
// conversation. Database triggers keep them current in the same transaction as the write that changes
// them, whichever code path (or import) writes; the migration fills them from the rows already stored.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

type Dialect = 'sqlite' | 'postgres';

/**
 * Histogram bucket of a duration in seconds: the whole second below 1,000 s (so the report's rounded
 * nearest-rank figures stay exact), three significant digits above (at most 0.5 % off).
 */
export const BUCKET_PRECISION = 'exact to the second below 1,000 s; 3 significant digits (within 0.5 %) above';

function sqliteBucket(s: string): string {
  const r = (div: number) => `cast((${s}) / ${div}.0 + 0.5 as integer) * ${div}`;
  return `(case when (${s}) < 1000 then ${r(1)} when (${s}) < 10000 then ${r(10)} when (${s}) < 100000 then ${r(100)} when (${s}) < 1000000 then ${r(1000)} else ${r(10000)} end)`;
}

const sqliteSeconds = (from: string, to: string) => `((julianday(${to}) - julianday(${from})) * 86400.0)`;

/** one conversation's contribution (`sign` +1 or -1) to the rollups, as SQLite statements on row `r` */
function sqliteConversation(r: 'new' | 'old', sign: 1 | -1): string {
  const s = String(sign);
  const durations = (kind: string, from: string, to: string) => `
    insert into duration_counts (day, locale, channel, kind, seconds, n)
      select substr(${r}.created_at, 1, 10), ${r}.locale, ${r}.channel, '${kind}', ${sqliteBucket(sqliteSeconds(`${r}.${from}`, `${r}.${to}`))}, ${s}
      where ${r}.${from} is not null and ${r}.${to} is not null
      on conflict (day, locale, channel, kind, seconds) do update set n = n + excluded.n;`;
  return `
    insert into conversation_counts (day, locale, channel, reason, conversations, self_served, handed_over, rated, satisfied)
      values (substr(${r}.created_at, 1, 10), ${r}.locale, ${r}.channel, coalesce(${r}.escalation_reason, ''), ${s},
        case when ${r}.queued_at is null and not exists (select 1 from feedback f where f.conversation_id = ${r}.id and f.helpful = 0) then ${s} else 0 end,
        case when ${r}.queued_at is not null then ${s} else 0 end,
        case when ${r}.rating is not null then ${s} else 0 end,
        case when ${r}.rating >= 4 then ${s} else 0 end)
      on conflict (day, locale, channel, reason) do update set conversations = conversations + excluded.conversations,
        self_served = self_served + excluded.self_served, handed_over = handed_over + excluded.handed_over,
        rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied;
    ${durations('wait', 'queued_at', 'assigned_at')}
    ${durations('resolve', 'created_at', 'resolved_at')}`;
}

/** a not-helpful answer takes a not-queued conversation out of "self-served" (the first one only) */
function sqliteFeedback(r: 'new' | 'old', delta: string): string {
  return `
    update conversation_counts set self_served = self_served + ${delta}
    where exists (select 1 from conversations c where c.id = ${r}.conversation_id and c.queued_at is null
        and conversation_counts.day = substr(c.created_at, 1, 10) and conversation_counts.locale = c.locale
        and conversation_counts.channel = c.channel and conversation_counts.reason = coalesce(c.escalation_reason, ''))
      and not exists (select 1 from feedback f where f.conversation_id = ${r}.conversation_id and f.helpful = 0 and f.id <> ${r}.id);`;
}

/** one help-center search's contribution to help_search_counts, as a SQLite statement on row `r` */
function sqliteSearch(r: 'new' | 'old', sign: 1 | -1): string {
  const v = String(sign);
  return `
    insert into help_search_counts (day, locale, query, total, no_result, no_click, clicked)
      values (substr(${r}.created_at, 1, 10), ${r}.locale, lower(${r}.query), ${v},
        case when ${r}.result_count = 0 then ${v} else 0 end,
        case when ${r}.result_count > 0 and ${r}.clicked_article_id is null then ${v} else 0 end,
        case when ${r}.clicked_article_id is not null then ${v} else 0 end)
      on conflict (day, locale, query) do update set total = total + excluded.total, no_result = no_result + excluded.no_result,
        no_click = no_click + excluded.no_click, clicked = clicked + excluded.clicked;`;
}

const SEARCH_TRACKED = 'created_at, locale, query, result_count, clicked_article_id';

const TRACKED = 'created_at, locale, channel, escalation_reason, queued_at, assigned_at, resolved_at, rating';

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const statements = [
    `create trigger conversations_rollup_insert after insert on conversations begin ${sqliteConversation('new', 1)} end`,
    `create trigger conversations_rollup_update after update of ${TRACKED} on conversations begin ${sqliteConversation('old', -1)} ${sqliteConversation('new', 1)} end`,
    `create trigger conversations_rollup_delete after delete on conversations begin ${sqliteConversation('old', -1)} end`,
    `create trigger feedback_rollup_insert after insert on feedback when new.helpful = 0 and new.conversation_id is not null begin ${sqliteFeedback('new', '-1')} end`,
    `create trigger feedback_rollup_delete after delete on feedback when old.helpful = 0 and old.conversation_id is not null begin ${sqliteFeedback('old', '1')} end`,
    `create trigger article_views_rollup_insert after insert on article_views begin
      insert into article_view_counts (day, locale, channel, article_id, n) values (substr(new.created_at, 1, 10), new.locale, new.channel, new.article_id, 1)
      on conflict (day, locale, channel, article_id) do update set n = n + 1; end`,
    `create trigger article_views_rollup_delete after delete on article_views begin
      update article_view_counts set n = n - 1 where day = substr(old.created_at, 1, 10) and locale = old.locale and channel = old.channel and article_id = old.article_id; end`,
    `create trigger help_searches_rollup_insert after insert on help_searches begin ${sqliteSearch('new', 1)} end`,
    `create trigger help_searches_rollup_update after update of ${SEARCH_TRACKED} on help_searches begin ${sqliteSearch('old', -1)} ${sqliteSearch('new', 1)} end`,
    `create trigger help_searches_rollup_delete after delete on help_searches begin ${sqliteSearch('old', -1)} end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  const statements = [
    `create function insights_bucket(s double precision) returns bigint language sql immutable as $$
      select (case when s < 1000 then floor(s + 0.5) when s < 10000 then floor(s / 10 + 0.5) * 10
        when s < 100000 then floor(s / 100 + 0.5) * 100 when s < 1000000 then floor(s / 1000 + 0.5) * 1000
        else floor(s / 10000 + 0.5) * 10000 end)::bigint $$`,
    `create function insights_add_duration(p_d text, p_loc text, p_ch text, p_k text, p_t0 text, p_t1 text, p_sign integer) returns void language plpgsql as $$
    begin
      if p_t0 is null or p_t1 is null then return; end if;
      insert into duration_counts as x (day, locale, channel, kind, seconds, n)
        values (p_d, p_loc, p_ch, p_k, insights_bucket(extract(epoch from (p_t1::timestamptz - p_t0::timestamptz))::double precision), p_sign)
        on conflict (day, locale, channel, kind, seconds) do update set n = x.n + excluded.n;
    end $$`,
    `create function insights_add_conversation(p_cid text, p_created text, p_loc text, p_ch text, p_reason text, p_queued text, p_assigned text, p_resolved text, p_rating integer, p_sign integer) returns void language plpgsql as $$
    declare p_d text := substr(p_created, 1, 10);
    begin
      insert into conversation_counts as x (day, locale, channel, reason, conversations, self_served, handed_over, rated, satisfied)
        values (p_d, p_loc, p_ch, coalesce(p_reason, ''), p_sign,
          case when p_queued is null and not exists (select 1 from feedback f where f.conversation_id = p_cid and f.helpful = 0) then p_sign else 0 end,
          case when p_queued is not null then p_sign else 0 end,
          case when p_rating is not null then p_sign else 0 end,
          case when p_rating >= 4 then p_sign else 0 end)
        on conflict (day, locale, channel, reason) do update set conversations = x.conversations + excluded.conversations,
          self_served = x.self_served + excluded.self_served, handed_over = x.handed_over + excluded.handed_over,
          rated = x.rated + excluded.rated, satisfied = x.satisfied + excluded.satisfied;
      perform insights_add_duration(p_d, p_loc, p_ch, 'wait', p_queued, p_assigned, p_sign);
      perform insights_add_duration(p_d, p_loc, p_ch, 'resolve', p_created, p_resolved, p_sign);
    end $$`,
    `create function insights_conversation_rollup() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        perform insights_add_conversation(old.id, old.created_at, old.locale, old.channel, old.escalation_reason, old.queued_at, old.assigned_at, old.resolved_at, old.rating, -1);
      end if;
      if tg_op <> 'DELETE' then
        perform insights_add_conversation(new.id, new.created_at, new.locale, new.channel, new.escalation_reason, new.queued_at, new.assigned_at, new.resolved_at, new.rating, 1);
      end if;
      return null;
    end $$`,
    `create trigger conversations_rollup after insert or delete or update of ${TRACKED} on conversations for each row execute function insights_conversation_rollup()`,
    `create function insights_feedback_rollup() returns trigger language plpgsql as $$
    declare r record; delta integer;
    begin
      if tg_op = 'INSERT' then r := new; delta := -1; else r := old; delta := 1; end if;
      if r.helpful = 0 and r.conversation_id is not null
        and not exists (select 1 from feedback f where f.conversation_id = r.conversation_id and f.helpful = 0 and f.id <> r.id) then
        update conversation_counts x set self_served = x.self_served + delta from conversations c
          where c.id = r.conversation_id and c.queued_at is null and x.day = substr(c.created_at, 1, 10)
            and x.locale = c.locale and x.channel = c.channel and x.reason = coalesce(c.escalation_reason, '');
      end if;
      return null;
    end $$`,
    `create trigger feedback_rollup after insert or delete on feedback for each row execute function insights_feedback_rollup()`,
    `create function insights_view_rollup() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into article_view_counts as x (day, locale, channel, article_id, n) values (substr(new.created_at, 1, 10), new.locale, new.channel, new.article_id, 1)
          on conflict (day, locale, channel, article_id) do update set n = x.n + 1;
      else
        update article_view_counts set n = n - 1 where day = substr(old.created_at, 1, 10) and locale = old.locale and channel = old.channel and article_id = old.article_id;
      end if;
      return null;
    end $$`,
    `create trigger article_views_rollup after insert or delete on article_views for each row execute function insights_view_rollup()`,
    `create function insights_add_search(p_created text, p_locale text, p_query text, p_results integer, p_clicked text, p_sign integer) returns void language plpgsql as $$
    begin
      insert into help_search_counts as x (day, locale, query, total, no_result, no_click, clicked)
        values (substr(p_created, 1, 10), p_locale, lower(p_query), p_sign,
          case when p_results = 0 then p_sign else 0 end,
          case when p_results > 0 and p_clicked is null then p_sign else 0 end,
          case when p_clicked is not null then p_sign else 0 end)
        on conflict (day, locale, query) do update set total = x.total + excluded.total, no_result = x.no_result + excluded.no_result,
          no_click = x.no_click + excluded.no_click, clicked = x.clicked + excluded.clicked;
    end $$`,
    `create function insights_search_rollup() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then perform insights_add_search(old.created_at, old.locale, old.query, old.result_count, old.clicked_article_id, -1); end if;
      if tg_op <> 'DELETE' then perform insights_add_search(new.created_at, new.locale, new.query, new.result_count, new.clicked_article_id, 1); end if;
      return null;
    end $$`,
    `create trigger help_searches_rollup after insert or delete or update of ${SEARCH_TRACKED} on help_searches for each row execute function insights_search_rollup()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export function migration009InsightsRollups(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      const noRowid = (t: any) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t);
      await db.schema.createTable('conversation_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull()) // '' when none
        .addColumn('conversations', 'integer', (c) => c.notNull())
        .addColumn('self_served', 'integer', (c) => c.notNull())
        .addColumn('handed_over', 'integer', (c) => c.notNull())
        .addColumn('rated', 'integer', (c) => c.notNull())
        .addColumn('satisfied', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_counts_key', ['day', 'locale', 'channel', 'reason'])
        .$call(noRowid)
        .execute();
      await db.schema.createTable('duration_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // wait | resolve
        .addColumn('seconds', 'bigint', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('duration_counts_key', ['day', 'locale', 'channel', 'kind', 'seconds'])
        .$call(noRowid)
        .execute();
      await db.schema.createTable('article_view_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('article_id', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_view_counts_key', ['day', 'locale', 'channel', 'article_id'])
        .$call(noRowid)
        .execute();

      await db.schema.createTable('help_search_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull()) // lower-cased
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('no_result', 'integer', (c) => c.notNull())
        .addColumn('no_click', 'integer', (c) => c.notNull())
        .addColumn('clicked', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('help_search_counts_key', ['day', 'locale', 'query'])
        .$call(noRowid)
        .execute();

      // fill from what is stored already (the triggers only see later writes)
      const seconds = (from: string, to: string) =>
        dialect === 'postgres' ? `insights_bucket(extract(epoch from (${to}::timestamptz - ${from}::timestamptz))::double precision)` : sqliteBucket(sqliteSeconds(from, to));
      if (dialect === 'postgres') await postgresTriggers(db);
      else await sqliteTriggers(db);
      await sql.raw(`insert into conversation_counts (day, locale, channel, reason, conversations, self_served, handed_over, rated, satisfied)
        select substr(c.created_at, 1, 10), c.locale, c.channel, coalesce(c.escalation_reason, ''), count(*),
          sum(case when c.queued_at is null and not exists (select 1 from feedback f where f.conversation_id = c.id and f.helpful = 0) then 1 else 0 end),
          sum(case when c.queued_at is not null then 1 else 0 end), sum(case when c.rating is not null then 1 else 0 end), sum(case when c.rating >= 4 then 1 else 0 end)
        from conversations c group by substr(c.created_at, 1, 10), c.locale, c.channel, coalesce(c.escalation_reason, '')`).execute(db);
      for (const [kind, from, to] of [['wait', 'queued_at', 'assigned_at'], ['resolve', 'created_at', 'resolved_at']]) {
        await sql.raw(`insert into duration_counts (day, locale, channel, kind, seconds, n)
          select day, locale, channel, '${kind}', s, count(*) from (select substr(created_at, 1, 10) as day, locale, channel, ${seconds(from, to)} as s
            from conversations where ${from} is not null and ${to} is not null) as d group by day, locale, channel, s`).execute(db);
      }
      await sql.raw(`insert into article_view_counts (day, locale, channel, article_id, n)
        select substr(created_at, 1, 10), locale, channel, article_id, count(*) from article_views group by substr(created_at, 1, 10), locale, channel, article_id`).execute(db);
      await sql.raw(`insert into help_search_counts (day, locale, query, total, no_result, no_click, clicked)
        select substr(created_at, 1, 10), locale, lower(query), count(*), sum(case when result_count = 0 then 1 else 0 end),
          sum(case when result_count > 0 and clicked_article_id is null then 1 else 0 end), sum(case when clicked_article_id is not null then 1 else 0 end)
        from help_searches group by substr(created_at, 1, 10), locale, lower(query)`).execute(db);
    },
  };
}
// --- end 009_insights_rollups ---
