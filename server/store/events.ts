// Search events and article feedback: what customers asked, what the bot decided, what helped.
import type { Kysely } from 'kysely';
import { preparedQuery } from './prepared-query.js';
import type { Database } from './schema.js';

export interface SearchEventInput {
  query: string;
  locale: string;
  channel: string;
  decision?: string | null;
  topArticleId: string | null;
  score: number | null;
  conversationId?: string | null;
}

export interface FeedbackInput {
  articleId: string;
  locale: string;
  helpful: boolean;
  channel: string;
  comment?: string | null;
  conversationId?: string | null;
}

export class AnalyticsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => string = () => new Date().toISOString(),
    /** search events are analytics: no answer waits for their commit (Store.untracked) */
    private readonly untracked: (fn: () => Promise<void>) => Promise<void> = (fn) => fn(),
  ) {}

  // every search and every bot question writes one: built and compiled once (prepared-query.ts)
  private readonly insertSearch = preparedQuery(8, (...values: unknown[]) => {
    const [query, locale, channel, decision, top_article_id, score, conversation_id, created_at] = values as any[];
    return this.db.insertInto('search_events').values({ query, locale, channel, decision, top_article_id, score, conversation_id, created_at });
  });

  async recordSearch(event: SearchEventInput): Promise<void> {
    await this.untracked(async () => {
      await this.insertSearch(
        this.db,
        event.query.slice(0, 2000),
        event.locale,
        event.channel,
        event.decision ?? null,
        event.topArticleId,
        event.score,
        event.conversationId ?? null,
        this.now(),
      );
    });
  }

  /** Article ids most often found for customers' questions (answered, or searched) since `since`, most asked first. */
  async mostAskedArticles(locale: string, since: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('search_events')
      .select((eb) => ['top_article_id', eb.fn.countAll<number>().as('n')])
      .where('locale', '=', locale)
      .where('created_at', '>=', since)
      .where('top_article_id', 'is not', null)
      // a search the bot only half-matched ("did you mean") is not what people ask about
      .where((eb) => eb.or([eb('decision', 'is', null), eb('decision', 'in', ['answer', 'answer_with_alternatives'])]))
      .groupBy('top_article_id')
      .orderBy('n', 'desc')
      .orderBy('top_article_id')
      .limit(limit)
      .execute();
    return rows.map((row) => row.top_article_id!);
  }

  async recordFeedback(feedback: FeedbackInput): Promise<void> {
    await this.db
      .insertInto('feedback')
      .values({
        article_id: feedback.articleId,
        locale: feedback.locale,
        helpful: feedback.helpful ? 1 : 0,
        channel: feedback.channel,
        comment: feedback.comment ?? null,
        conversation_id: feedback.conversationId ?? null,
        created_at: this.now(),
      })
      .execute();
  }

  /** An article opened from a link a channel sent (the SMS short link). */
  async recordArticleView(view: { articleId: string; locale: string; channel: string }): Promise<void> {
    await this.db.insertInto('article_views').values({ article_id: view.articleId, locale: view.locale, channel: view.channel, created_at: this.now() }).execute();
  }
}
