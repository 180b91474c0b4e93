// npm run bench:insights [-- --turns 1000000 --dialect sqlite|postgres|both] [--verbose] [--explain]
// Seeds a million bot turns (plus conversations, searches, views, feedback in proportion) spread over
// 90 days, with the database generating the rows (a recursive CTE / generate_series), then times the
// /insights page render through app.inject for the 7, 30 and 90 day ranges. Target: < 300 ms.
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import type { Store } from '../server/store/database.js';
import type { Database } from '../server/store/schema.js';
import { openPostgresStore, openSqliteStore, postgresProblem } from '../test/helpers/services.js';
import { addAgent, logIn } from '../test/helpers/agents.js';
import { TurnRepository } from '../server/store/turns.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const SPAN_SECONDS = 90 * 86_400;

/** `count` rows of i = 1..count as a CTE the insert selects from */
function series(dialect: Store['dialect'], count: number) {
  return dialect === 'postgres'
    ? sql`select i from generate_series(1, ${sql.lit(count)}) as s(i)`
    : sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${sql.lit(count)}) select i from s`;
}

/** an ISO timestamp i seconds-ish before NOW, spread over 90 days (text, like the app stores it) */
function stamp(dialect: Store['dialect'], expression: string) {
  const offset = dialect === 'postgres' ? `((${expression})::bigint * 7919) % ${SPAN_SECONDS}` : `((${expression}) * 7919) % ${SPAN_SECONDS}`;
  return dialect === 'postgres'
    ? sql.raw(`to_char((timestamptz '${NOW.toISOString()}' - make_interval(secs => ${offset})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
    : sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW.toISOString()}', '-' || (${offset}) || ' seconds')`);
}

async function seed(db: Kysely<Database>, dialect: Store['dialect'], turns: number): Promise<void> {
  const conversations = Math.round(turns * 0.3);
  await db.insertInto('customers').values({ id: 'bench', display_name: null, created_at: NOW.toISOString() }).execute();
  const channel = (e: string) => sql.raw(`(case (${e}) % 10 when 0 then 'voice' when 1 then 'sms' when 2 then 'sms' else 'web' end)`);
  const locale = (e: string) => sql.raw(`(case (${e}) % 3 when 0 then 'de' else 'en' end)`);
  const cast = (e: string) => (dialect === 'postgres' ? `(${e})::text` : `(${e})`);
  await sql`insert into conversations (id, customer_id, channel, locale, status, last_seq, escalation_reason, rating, created_at, updated_at, queued_at, assigned_at, resolved_at)
    select 'c' || ${sql.raw(cast('i'))}, 'bench', ${channel('i')}, ${locale('i')}, 'resolved', 0,
      case when i % 4 = 0 then (case i % 3 when 0 then 'customer_request' when 1 then 'no_answer' else 'not_helpful' end) end,
      case when i % 5 = 0 then 1 + (i / 5) % 5 end,
      ${stamp(dialect, 'i')}, ${stamp(dialect, 'i')},
      case when i % 4 = 0 then ${stamp(dialect, 'i')} end,
      case when i % 4 = 0 then ${stamp(dialect, 'i')} end,
      case when i % 4 = 0 then ${stamp(dialect, 'i')} end
    from (${series(dialect, conversations)}) as g`.execute(db);
  // answers mostly; a gap wording from a few hundred distinct questions
  await sql`insert into bot_turns (conversation_id, query, locale, channel, decision, articles, top_article_id, confidence, raw_score, outcome, picked_option, outcome_at, agent_article_id, created_at)
    select 'c' || ${sql.raw(cast(`i % ${conversations} + 1`))},
      case when i % 10 < 5 then 'where is my order' else 'question number ' || ${sql.raw(cast('i % 700'))} || ' about things' end,
      ${locale('i')}, ${channel('i')},
      case i % 10 when 0 then 'answer' when 1 then 'answer' when 2 then 'answer' when 3 then 'answer' when 4 then 'answer_with_alternatives' when 5 then 'suggest' when 6 then 'suggest' when 7 then 'no_match' when 8 then 'no_match' else 'hand_over' end,
      '[]', case when i % 10 < 7 then 'article-' || ${sql.raw(cast('i % 300'))} end, 0.5, 8.25,
      case i % 7 when 0 then 'picked' when 1 then 'helpful' when 2 then 'not_helpful' when 3 then 'asked_person' when 4 then 'asked_again' end,
      case when i % 7 = 0 then 1 + i % 3 end, null,
      case when i % 13 = 0 then 'article-' || ${sql.raw(cast('i % 50'))} end,
      ${stamp(dialect, 'i')}
    from (${series(dialect, turns)}) as g`.execute(db);
  await sql`insert into help_searches (query, locale, result_count, shown, clicked_article_id, clicked_at, created_at)
    select 'search ' || ${sql.raw(cast('i % 500'))}, ${locale('i')}, i % 4, '[]', case when i % 3 = 0 then 'article-1' end, null, ${stamp(dialect, 'i')}
    from (${series(dialect, Math.round(turns / 10))}) as g`.execute(db);
  await sql`insert into article_views (article_id, locale, channel, created_at)
    select 'article-' || ${sql.raw(cast('i % 300'))}, ${locale('i')}, case when i % 5 = 0 then 'sms' else 'help_center' end, ${stamp(dialect, 'i')}
    from (${series(dialect, Math.round(turns / 5))}) as g`.execute(db);
  await sql`insert into feedback (article_id, locale, helpful, channel, comment, conversation_id, created_at)
    select 'article-' || ${sql.raw(cast('i % 300'))}, ${locale('i')}, i % 2, 'web', case when i % 10 = 0 then 'comment ' || ${sql.raw(cast('i'))} end, 'c' || ${sql.raw(cast(`i * 7 % ${conversations} + 1`))}, ${stamp(dialect, 'i')}
    from (${series(dialect, Math.round(turns / 50))}) as g`.execute(db);
  await new TurnRepository(db).rebuildCounts(); // what recording keeps up to date turn by turn
  await sql`analyze`.execute(db);
}

/** the query plan of the report's gap query (the one rollup read that grows with distinct wordings) */
async function explain(db: Kysely<Database>, name: 'sqlite' | 'postgres'): Promise<void> {
  const gaps = sql`select locale, wording, channel, sum(n) as n, max(agent_article_id) as agent_article, max(offered_article_id) as top_article
    from gap_counts where day >= '2026-09-01' and day <= '2026-11-30' group by locale, wording, channel order by n desc, wording limit 400`;
  const rows = await sql<Record<string, unknown>>`${sql.raw(name === 'postgres' ? 'explain analyze' : 'explain query plan')} ${gaps}`.execute(db);
  for (const row of rows.rows) console.log(`  plan: ${Object.values(row).join(' ')}`);
  const size = await sql<{ n: unknown }>`select count(*) as n from gap_counts where day >= '2026-09-01'`.execute(db);
  console.log(`  gap_counts rows in 90 days: ${Number(size.rows[0].n).toLocaleString('en')}`);
}

async function run(name: 'sqlite' | 'postgres', turns: number): Promise<void> {
  const store = name === 'sqlite' ? await openSqliteStore() : await openPostgresStore();
  try {
    let started = performance.now();
    await seed(store.db, store.dialect, turns);
    const count = await store.db.selectFrom('bot_turns').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    console.log(`${name}: seeded ${Number(count.n).toLocaleString('en')} bot turns in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (process.argv.includes('--explain')) await explain(store.db, name);
    const app = await buildApp(testConfig({ PUBLIC_URL: 'http://localhost', LOG_LEVEL: 'warn' }), { store, clock: { now: () => NOW } });
    await app.ready();
    await addAgent(app, 'bench-editor', 'Bench', 'correct horse', 'editor');
    const editor = await logIn(app, 'bench-editor');
    for (const range of ['7', '30', '90']) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        started = performance.now();
        const res = await editor.get(`/insights?range=${range}`);
        const ms = performance.now() - started;
        if (res.statusCode !== 200) throw new Error(`/insights answered ${res.statusCode}`);
        if (i > 0) times.push(ms); // the first warms caches (handlebars compile, page cache)
        if (process.argv.includes('--verbose')) console.log(`  ${range}: ${ms.toFixed(0)} ms, ${res.headers['server-timing']}, ${(res.body.length / 1024).toFixed(0)} KiB`);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      console.log(`${name}: /insights?range=${range}  median ${median.toFixed(0)} ms  (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)})  ${median < 300 ? 'OK' : 'OVER 300 ms'}`);
    }
    const filtered: number[] = [];
    for (let i = 0; i < 4; i++) {
      started = performance.now();
      await editor.get('/insights?range=30&locale=de&channel=sms');
      filtered.push(performance.now() - started);
    }
    console.log(`${name}: /insights?range=30&locale=de&channel=sms  median ${filtered.sort((a, b) => a - b)[2].toFixed(0)} ms`);
    await app.close();
  } finally {
    await store.close();
  }
}

const { values } = parseArgs({ options: { turns: { type: 'string', default: '1000000' }, dialect: { type: 'string', default: 'both' }, verbose: { type: 'boolean' }, explain: { type: 'boolean' } } });
const turns = Number(values.turns);
if (values.dialect !== 'postgres') await run('sqlite', turns);
if (values.dialect !== 'sqlite') {
  const problem = await postgresProblem();
  if (problem) console.log(`postgres: skipped (${problem})`);
  else await run('postgres', turns);
}
process.exit(0);
