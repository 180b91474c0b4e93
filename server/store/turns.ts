// Recording for insights (issue 14): bot turns with what followed them, and help-center searches with
// the click. Each row is one unit, so shares computed from them add up.
import type { Kysely } from 'kysely';
import type { Database, TurnOutcome } from './schema.js';
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

export class TurnRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  async record(turn: BotTurnInput): Promise<void> {
    const [top] = turn.articles;
    await this.db
      .insertInto('bot_turns')
      .values({
        conversation_id: turn.conversationId,
        query: turn.query.slice(0, 2000),
        locale: turn.locale,
        channel: turn.channel,
        decision: turn.decision,
        articles: JSON.stringify(turn.articles.map((a) => ({ id: a.id, confidence: Math.round(a.confidence * 1e4) / 1e4 }))),
        top_article_id: top?.id ?? null,
        confidence: top ? top.confidence : null,
        raw_score: turn.rawScore,
        outcome: null,
        picked_option: null,
        outcome_at: null,
        agent_article_id: null,
        created_at: this.now(),
      })
      .execute();
  }

  /** The conversation's latest turn, if nothing followed it yet, gets this follow-up. */
  async followUp(conversationId: string, followUp: TurnFollowUp): Promise<void> {
    const latest = await this.db.selectFrom('bot_turns').select(['id', 'outcome']).where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!latest || latest.outcome !== null) return;
    await this.db
      .updateTable('bot_turns')
      .set({ outcome: followUp.kind as TurnOutcome, picked_option: followUp.kind === 'picked' ? followUp.option : null, outcome_at: this.now() })
      .where('id', '=', latest.id)
      .where('outcome', 'is', null)
      .execute();
  }

  /** An agent sent this article in the conversation: the unanswered turns before it get it as "what an agent sent". */
  async agentSent(conversationId: string, articleId: string): Promise<void> {
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
}

