// Resume tokens: what an e-mail's link carries to reopen one conversation. Separate from the widget's own
// token (a mail may be forwarded or sit in an archive), only the sha256 stored, and valid for RESUME_LINK_DAYS
// from when the e-mail was sent. Each e-mail has its own: a newer e-mail does not end an older one's link.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { hashToken, newToken } from '../webchat/tokens.js';

const DAY_MS = 24 * 60 * 60_000;

/** What a token does for a conversation: opens it, did open it until it expired, or was never its link. */
export type ResumeTokenState = 'opens' | 'expired' | 'unknown';

export class ResumeTokens {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  /** A fresh token for this conversation, valid for `days`; the plain token leaves only in the e-mail. */
  async issue(conversationId: string, days: number): Promise<string> {
    const { token, hash } = newToken();
    const now = this.now();
    await this.db
      .insertInto('resume_tokens')
      .values({ token_hash: hash, conversation_id: conversationId, created_at: now.toISOString(), expires_at: new Date(now.getTime() + days * DAY_MS).toISOString() })
      .execute();
    return token;
  }

  /** Whether the token opens this conversation (and no other), or did until it expired. */
  async state(conversationId: string, token: string): Promise<ResumeTokenState> {
    const row = await this.db.selectFrom('resume_tokens').select(['conversation_id', 'expires_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (row?.conversation_id !== conversationId) return 'unknown';
    return row.expires_at > this.now().toISOString() ? 'opens' : 'expired';
  }
}
