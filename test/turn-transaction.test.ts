// One transaction per chat turn, on both databases: a turn whose bot fails keeps the customer's message and
// the apology, and nothing of the bot's half turn (no reply stored or shown live, no recorded turn);
// concurrent turns update the insights' daily counters once per turn, in one order, and the counts stay
// exactly what the recorded turns add up to.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import type { Store } from '../server/store/database.js';
import { TurnRepository } from '../server/store/turns.js';
import { dialects, skipWithoutPostgres } from './helpers/services.js';

let apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
});

async function start(store: Store) {
  const app = await buildApp(testConfig(), { store });
  app.addHook('onClose', async () => store.close());
  await app.ready();
  apps.push(app);
  return app;
}

async function open(app: FastifyInstance) {
  const res = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en' } });
  expect(res.statusCode).toBe(201);
  return res.json() as { conversationId: string; token: string };
}

function send(app: FastifyInstance, chat: { conversationId: string; token: string }, payload: object) {
  return app.inject({ method: 'POST', url: `/api/chat/conversations/${chat.conversationId}/messages`, headers: { authorization: `Bearer ${chat.token}` }, payload });
}

/** The bot's state can no longer be saved: the last step of a turn fails, after the bot replied and recorded the turn. */
async function refuseBotState(store: Store) {
  if (store.dialect === 'sqlite') {
    await sql`create trigger refuse_state_insert before insert on bot_state begin select raise(abort, 'bot state refused'); end`.execute(store.db);
    await sql`create trigger refuse_state_update before update on bot_state begin select raise(abort, 'bot state refused'); end`.execute(store.db);
  } else {
    await sql`create function refuse_state() returns trigger language plpgsql as $$ begin raise exception 'bot state refused'; end $$`.execute(store.db);
    await sql`create trigger refuse_state before insert or update on bot_state for each row execute function refuse_state()`.execute(store.db);
  }
  await store.durable();
}

describe.each(dialects)('one transaction per chat turn on $name', ({ name, open: openStore }) => {
  it('a turn whose bot fails keeps the message and the apology; the reply it had sent and the turn it recorded are undone', async (ctx) => {
    if (name === 'postgres' && (await skipWithoutPostgres())) ctx.skip();
    const app = await start(await openStore());
    const chat = await open(app);
    const live: string[] = [];
    app.bus.subscribe(chat.conversationId, (event) => {
      if (event.type === 'message') live.push(`${event.message.author}: ${event.message.text}`);
    });
    await refuseBotState(app.store);

    const res = await send(app, chat, { text: 'How long does delivery take?' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.received).toMatchObject({ author: 'customer', text: 'How long does delivery take?' });
    // the apology only, in the conversation's language
    const apology = 'Sorry, something went wrong on our side. Please try again in a moment.';
    expect(body.messages.map((m: any) => m.text)).toEqual([apology]);

    const stored = await app.repos.conversations.messages(chat.conversationId);
    expect(stored.map((m) => [m.seq, m.author])).toEqual([
      [1, 'bot'], // the greeting
      [2, 'customer'],
      [3, 'system'], // the apology takes the seq the undone answer had: no gap
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the PostgreSQL bus delivers after a round trip
    expect(live).toEqual(['customer: How long does delivery take?', `system: ${apology}`]);
    const turns = await app.store.db.selectFrom('bot_turns').select('id').where('conversation_id', '=', chat.conversationId).execute();
    expect(turns).toEqual([]);
    const counts = await app.store.db.selectFrom('bot_turn_counts').select('n').execute();
    expect(counts.every((c) => Number(c.n) === 0)).toBe(true);
  });

  it('concurrent turns keep the daily counters equal to what the recorded turns add up to', async (ctx) => {
    if (name === 'postgres' && (await skipWithoutPostgres())) ctx.skip();
    const app = await start(await openStore());
    const chats = await Promise.all(Array.from({ length: 8 }, () => open(app)));
    const script = ['How long does delivery take?', 'no', 'How do I return an item?', 'yes', 'xyzzy plugh wobble', 'Which payment methods can I use?'];
    // every conversation runs the script, all conversations at once (one message of each at a time)
    for (const text of script) {
      const answers = await Promise.all(chats.map((chat) => send(app, chat, { text })));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(chats.length).fill(200));
    }
    const sorted = (rows: object[]) => rows.map((row) => JSON.stringify(row)).sort();
    const counters = async () => ({
      turns: await app.store.db.selectFrom('bot_turn_counts').selectAll().where('n', '!=', 0).execute(),
      answers: await app.store.db.selectFrom('article_answer_counts').selectAll().execute(),
      gaps: await app.store.db.selectFrom('gap_counts').select(['day', 'locale', 'channel', 'wording', 'n']).execute(),
    });
    const kept = await counters();
    const recorded = await app.store.db.selectFrom('bot_turns').select('id').execute();
    expect(recorded.length).toBeGreaterThanOrEqual(chats.length * 3); // 'yes' and 'no' are follow-ups, not turns
    expect(kept.turns.reduce((sum, row) => sum + Number(row.n), 0)).toBe(recorded.length);
    await new TurnRepository(app.store.db).rebuildCounts();
    await app.store.durable();
    const normalise = (rows: object[]) => sorted(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]))));
    const rebuilt = await counters();
    expect(normalise(kept.turns)).toEqual(normalise(rebuilt.turns));
    expect(normalise(kept.answers)).toEqual(normalise(rebuilt.answers));
    expect(normalise(kept.gaps)).toEqual(normalise(rebuilt.gaps));
  });
});
