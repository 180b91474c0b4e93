// Learned evidence: customer questions that usage tied to an article (the customer picked the article
// from suggestions, or an agent sent it). The search engine learns them as extra questions at its next
// build; editors list and remove them.
import type { Kysely } from 'kysely';
import type { Database, LearnedSource } from './schema.js';

export interface LearnedQuestion {
  id: number;
  locale: string;
  articleId: string;
  question: string;
  source: LearnedSource;
  conversationId: string | null;
  createdAt: string;
}

/** Longer questions are cut: a training question is a sentence or two, not a pasted e-mail. */
const MAX_QUESTION_LENGTH = 300;

export function questionKey(question: string): string {
  return question.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export class LearnedEvidenceRepository {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => string = () => new Date().toISOString()) {}

  /** Stores the question for the article once (a repeat is ignored); false when it was known already or empty. */
  async record(input: { locale: string; articleId: string; question: string; source: LearnedSource; conversationId?: string | null }): Promise<boolean> {
    const question = input.question.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION_LENGTH);
    if (!question) return false;
    const result = await this.db
      .insertInto('learned_questions')
      .values({
        locale: input.locale,
        article_id: input.articleId,
        question,
        question_key: questionKey(question),
        source: input.source,
        conversation_id: input.conversationId ?? null,
        created_at: this.now(),
      })
      .onConflict((oc) => oc.columns(['locale', 'article_id', 'question_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Newest first. */
  async list(filter: { locale?: string; articleId?: string; limit?: number } = {}): Promise<LearnedQuestion[]> {
    let query = this.db.selectFrom('learned_questions').selectAll();
    if (filter.locale) query = query.where('locale', '=', filter.locale);
    if (filter.articleId) query = query.where('article_id', '=', filter.articleId);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 500).execute();
    return rows.map((r) => ({ id: r.id, locale: r.locale, articleId: r.article_id, question: r.question, source: r.source, conversationId: r.conversation_id, createdAt: r.created_at }));
  }

  /** What the engine trains on for a locale: article id and question, oldest first (a stable order keeps the model cache valid). */
  async forLocale(locale: string): Promise<Array<{ articleId: string; question: string }>> {
    const rows = await this.db.selectFrom('learned_questions').select(['article_id', 'question']).where('locale', '=', locale).orderBy('id', 'asc').execute();
    return rows.map((r) => ({ articleId: r.article_id, question: r.question }));
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('learned_questions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
