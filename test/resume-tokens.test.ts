// The resume tokens of reply e-mails on both databases: a token opens its conversation until RESUME_LINK_DAYS
// after it was issued, is refused as expired after that, and links sent before migration 010 get 30 days.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ResumeTokens } from '../server/channels/email/resume-tokens.js';
import { ConversationRepository } from '../server/store/conversations.js';
import { CustomerRepository } from '../server/store/customers.js';
import { migrationProvider } from '../server/store/migrations.js';
import { hashToken } from '../server/channels/webchat/tokens.js';
import { dialects, storePerTest } from './helpers/services.js';

const SENT = new Date('2026-11-23T09:00:00.000Z');
const DAY = 24 * 60 * 60_000;

describe.each(dialects)('resume tokens on $name', (dialect) => {
  const stores = storePerTest(dialect);

  async function twoConversations(store: Awaited<ReturnType<typeof stores.open>>) {
    const customerId = await new CustomerRepository(store.db).findOrCreate([{ kind: 'web', value: 'visitor-1' }], null);
    const conversations = new ConversationRepository(store.db);
    return [(await conversations.create({ customerId, channel: 'web', locale: 'en' })).id, (await conversations.create({ customerId, channel: 'web', locale: 'en' })).id];
  }

  it('opens only its conversation within the window and is expired after it', async (ctx) => {
    const store = await stores.open(ctx);
    const [mine, other] = await twoConversations(store);
    const clock = { current: SENT };
    const tokens = new ResumeTokens(store.db, () => clock.current);
    const token = await tokens.issue(mine, 7);

    clock.current = new Date(SENT.getTime() + 7 * DAY - 1);
    expect(await tokens.state(mine, token)).toBe('opens');
    expect(await tokens.state(other, token)).toBe('unknown');
    expect(await tokens.state(mine, 'not-a-token')).toBe('unknown');
    clock.current = new Date(SENT.getTime() + 7 * DAY);
    expect(await tokens.state(mine, token)).toBe('expired');
    expect(await tokens.state(other, token)).toBe('unknown');
    // a newer e-mail's link does not end this one's
    clock.current = SENT;
    const newer = await tokens.issue(mine, 7);
    expect([await tokens.state(mine, token), await tokens.state(mine, newer)]).toEqual(['opens', 'opens']);
  });

  it('migration 010 gives links sent before it 30 days from their e-mail', async (ctx) => {
    const store = await stores.open(ctx);
    const [mine] = await twoConversations(store);
    // the table as 007 made it, with a link sent before 010
    await sql`alter table resume_tokens drop column expires_at`.execute(store.db);
    await sql`insert into resume_tokens (token_hash, conversation_id, created_at) values (${hashToken('old-link')}, ${mine}, ${SENT.toISOString()})`.execute(store.db);
    const migrations = await migrationProvider(dialect.name).getMigrations();
    await migrations['010_resume_token_expiry'].up(store.db);

    const row = await store.db.selectFrom('resume_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(new Date(SENT.getTime() + 30 * DAY).toISOString());
    expect(await new ResumeTokens(store.db, () => new Date(SENT.getTime() + 29 * DAY)).state(mine, 'old-link')).toBe('opens');
    expect(await new ResumeTokens(store.db, () => new Date(SENT.getTime() + 31 * DAY)).state(mine, 'old-link')).toBe('expired');
  });
});
