// Recording for insights (issue 14): bot turns with what followed them, and help-center searches with
// the click. Each row is one unit, so shares computed from them add up.
import { sql, type Kysely } from 'kysely';
import type { Database, TurnOutcome } from './schema.js';
import { preparedQuery } from './prepared-query.js';
import type { TurnDecision, TurnFollowUp } from '../../bot/ports.js';

export interface BotTurnInput {
  conversationId: string | null;
  query: string;
  locale: string;
  channel: string;
  decision: TurnDecision;
  articles: Array<{ id: string; confidence: number }>;
  rawScore: number | null;
}

/** decisions that are not a confident answer: the raw material of content gaps */
export const GAP_DECISIONS: readonly TurnDecision[] = ['suggest', 'no_match', 'hand_over'];
/** decisions that answered with an article */
export const ANSWER_DECISIONS: readonly TurnDecision[] = ['answer', 'answer_with_alternatives'];
/** follow-ups that mean an answer did not do it */
const HANDOVER_OUTCOMES = new Set(['asked_person', 'not_helpful']);

const dayOf = (iso: string) => iso.slice(0, 10);

/**
 * How a daily counter row changes (Store.count): inside a turn's transaction once at its end, merged per
 * row, rows in one order; by default at once.
 */
export type CountChanges = (key: string, delta: number, apply: (delta: number) => Promise<void>) => Promise<void>;

/** a counter row's key for CountChanges: table, then the row's identity, then the column (one lock order) */
const rowKey = (...parts: Array<string | number>) => parts.join('\u0000');

export class TurnRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => string = () => new Date().toISOString(),
    private readonly changeCount: CountChanges = (_key, delta, apply) => apply(delta),
  ) {}

  // every question turn records one and looks up the one before: built and compiled once (prepared-query.ts)
  private readonly insertTurn = preparedQuery(10, (...values: unknown[]) => {
    const [conversation_id, query, locale, channel, decision, articles, top_article_id, confidence, raw_score, created_at] = values as any[];
    return this.db.insertInto('bot_turns').values({
      conversation_id,
      query,
      locale,
      channel,
      decision,
      articles,
      top_article_id,
      confidence,
      raw_score,
      outcome: null,
      picked_option: null,
      outcome_at: null,
      agent_article_id: null,
      created_at,
    });
  });
  private readonly latestTurn = preparedQuery(1, (conversationId: string) =>
    this.db
      .selectFrom('bot_turns')
      .select(['id', 'outcome', 'decision', 'locale', 'channel', 'created_at', 'top_article_id'])
      .where('conversation_id', '=', conversationId)
      .orderBy('id', 'desc')
      .limit(1),
  );

  async record(turn: BotTurnInput): Promise<void> {
    const [top] = turn.articles;
    const now = this.now();
    await this.insertTurn(
      this.db,
      turn.conversationId,
      turn.query.slice(0, 2000),
      turn.locale,
      turn.channel,
      turn.decision,
      JSON.stringify(turn.articles.map((a) => ({ id: a.id, confidence: Math.round(a.confidence * 1e4) / 1e4 }))),
      top?.id ?? null,
      top ? top.confidence : null,
      turn.rawScore,
      now,
    );
    const day = dayOf(now);
    await this.count({ day, locale: turn.locale, channel: turn.channel, decision: turn.decision, outcome: '', picked_option: 0 }, 1);
    if (top && ANSWER_DECISIONS.includes(turn.decision)) {
      await this.changeCount(rowKey('article_answer_counts', day, turn.locale, turn.channel, top.id, 'answers'), 1, async (delta) => {
        await this.db
          .insertInto('article_answer_counts')
          .values({ day, locale: turn.locale, channel: turn.channel, article_id: top.id, answers: delta, handovers: 0 })
          .onConflict((oc) => oc.columns(['day', 'locale', 'channel', 'article_id']).doUpdateSet({ answers: sql`${sql.ref('article_answer_counts.answers')} + ${delta}` }))
          .execute();
      });
    }
    if (GAP_DECISIONS.includes(turn.decision)) {
      const wording = turn.query.slice(0, 500).toLowerCase();
      await this.changeCount(rowKey('gap_counts', day, turn.locale, turn.channel, wording), 1, async (delta) => {
        await this.db
          .insertInto('gap_counts')
          .values({ day, locale: turn.locale, channel: turn.channel, wording, n: delta, agent_article_id: null, offered_article_id: top?.id ?? null })
          .onConflict((oc) => oc.columns(['day', 'locale', 'channel', 'wording']).doUpdateSet({ n: sql`${sql.ref('gap_counts.n')} + ${delta}` }))
          .execute();
      });
    }
  }

  private count(key: { day: string; locale: string; channel: string; decision: string; outcome: string; picked_option: number }, delta: number): Promise<void> {
    const id = rowKey('bot_turn_counts', key.day, key.locale, key.channel, key.decision, key.outcome, key.picked_option);
    return this.changeCount(id, delta, async (total) => {
      await this.db
        .insertInto('bot_turn_counts')
        .values({ ...key, n: total })
        .onConflict((oc) => oc.columns(['day', 'locale', 'channel', 'decision', 'outcome', 'picked_option']).doUpdateSet({ n: sql`${sql.ref('bot_turn_counts.n')} + ${total}` }))
        .execute();
    });
  }

  /** The conversation's latest turn, if nothing followed it yet, gets this follow-up. */
  async followUp(conversationId: string, followUp: TurnFollowUp): Promise<void> {
    const [latest] = (await this.latestTurn(this.db, conversationId)).rows;
    if (!latest || latest.outcome !== null) return;
    const option = followUp.kind === 'picked' ? followUp.option : null;
    const updated = await this.db
      .updateTable('bot_turns')
      .set({ outcome: followUp.kind as TurnOutcome, picked_option: option, outcome_at: this.now() })
      .where('id', '=', latest.id)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return; // another request recorded the follow-up first
    // the turn moves from "no follow-up yet" to its follow-up in the daily counts
    const key = { day: dayOf(latest.created_at), locale: latest.locale, channel: latest.channel, decision: latest.decision };
    await this.count({ ...key, outcome: '', picked_option: 0 }, -1);
    await this.count({ ...key, outcome: followUp.kind, picked_option: option ?? 0 }, 1);
    const article = latest.top_article_id;
    if (article && HANDOVER_OUTCOMES.has(followUp.kind) && (ANSWER_DECISIONS as readonly string[]).includes(latest.decision)) {
      await this.changeCount(rowKey('article_answer_counts', key.day, key.locale, key.channel, article, 'handovers'), 1, async (delta) => {
        await this.db
          .updateTable('article_answer_counts')
          .set({ handovers: sql`${sql.ref('handovers')} + ${delta}` })
          .where('day', '=', key.day)
          .where('locale', '=', key.locale)
          .where('channel', '=', key.channel)
          .where('article_id', '=', article)
          .execute();
      });
    }
  }

  /** An agent sent this article in the conversation: the unanswered turns before it get it as "what an agent sent". */
  async agentSent(conversationId: string, articleId: string): Promise<void> {
    const unanswered = await this.db
      .selectFrom('bot_turns')
      .select(['created_at', 'locale', 'channel', 'query'])
      .where('conversation_id', '=', conversationId)
      .where('agent_article_id', 'is', null)
      .where('decision', 'in', [...GAP_DECISIONS])
      .execute();
    for (const turn of unanswered) {
      await this.db
        .updateTable('gap_counts')
        .set({ agent_article_id: articleId })
        .where('day', '=', dayOf(turn.created_at))
        .where('locale', '=', turn.locale)
        .where('channel', '=', turn.channel)
        .where('wording', '=', turn.query.slice(0, 500).toLowerCase())
        .execute();
    }
    await this.db
      .updateTable('bot_turns')
      .set({ agent_article_id: articleId })
      .where('conversation_id', '=', conversationId)
      .where('agent_article_id', 'is', null)
      .where('decision', 'in', [...GAP_DECISIONS])
      .execute();
  }

  /** A help-center search and the ids it showed; returns its id for the click link. */
  async recordHelpSearch(search: { query: string; locale: string; shown: string[] }): Promise<number> {
    const row = await this.db
      .insertInto('help_searches')
      .values({ query: search.query.slice(0, 2000), locale: search.locale, result_count: search.shown.length, shown: JSON.stringify(search.shown), clicked_article_id: null, clicked_at: null, created_at: this.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** The first click of a search counts (a shown article only). */
  async recordHelpClick(searchId: number, articleId: string): Promise<boolean> {
    const search = await this.db.selectFrom('help_searches').select(['shown', 'clicked_article_id']).where('id', '=', searchId).executeTakeFirst();
    if (!search || !(JSON.parse(search.shown) as string[]).includes(articleId)) return false;
    if (search.clicked_article_id === null) {
      await this.db.updateTable('help_searches').set({ clicked_article_id: articleId, clicked_at: this.now() }).where('id', '=', searchId).where('clicked_article_id', 'is', null).execute();
    }
    return true;
  }

  /**
   * Recomputes the daily counts from the bot_turns rows (rows written straight into bot_turns: imports,
   * the benchmark, tests). Wordings are lowercased by the database here (SQLite: ASCII only).
   */
  async rebuildCounts(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('bot_turn_counts').execute();
      await trx.deleteFrom('article_answer_counts').execute();
      await trx.deleteFrom('gap_counts').execute();
      await sql`insert into bot_turn_counts (day, locale, channel, decision, outcome, picked_option, n)
        select substr(created_at, 1, 10), locale, channel, decision, coalesce(outcome, ''), coalesce(picked_option, 0), count(*)
        from bot_turns group by substr(created_at, 1, 10), locale, channel, decision, coalesce(outcome, ''), coalesce(picked_option, 0)`.execute(trx);
      await sql`insert into article_answer_counts (day, locale, channel, article_id, answers, handovers)
        select substr(created_at, 1, 10), locale, channel, top_article_id, count(*), sum(case when outcome in ('asked_person', 'not_helpful') then 1 else 0 end)
        from bot_turns where decision in ('answer', 'answer_with_alternatives') and top_article_id is not null
        group by substr(created_at, 1, 10), locale, channel, top_article_id`.execute(trx);
      await sql`insert into gap_counts (day, locale, channel, wording, n, agent_article_id, offered_article_id)
        select substr(created_at, 1, 10), locale, channel, lower(substr(query, 1, 500)), count(*), max(agent_article_id), max(top_article_id)
        from bot_turns where decision in ('suggest', 'no_match', 'hand_over')
        group by substr(created_at, 1, 10), locale, channel, lower(substr(query, 1, 500))`.execute(trx);
    });
  }
}
