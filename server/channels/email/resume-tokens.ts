// Resume tokens: what an e-mail's link carries to reopen one conversation. Separate from the widget's own
// token (a mail may be forwarded or sit in an archive), long-lived, only the sha256 stored.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { hashToken, newToken } from '../webchat/tokens.js';

export class ResumeTokens {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  /** A fresh token for this conversation; the plain token leaves only in the e-mail. */
  async issue(conversationId: string): Promise<string> {
    const { token, hash } = newToken();
    await this.db.insertInto('resume_tokens').values({ token_hash: hash, conversation_id: conversationId, created_at: this.now().toISOString() }).execute();
    return token;
  }

  /** Whether the token opens this conversation (and no other). */
  async opens(conversationId: string, token: string): Promise<boolean> {
    const row = await this.db.selectFrom('resume_tokens').select('conversation_id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    return row?.conversation_id === conversationId;
  }
}
