// A month of plausible activity for the insights page (browser test and screenshots): conversations on
// each channel, bot turns with follow-ups, help-center searches, views, feedback. Deterministic.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/schema.js';
import { TurnRepository } from '../../server/store/turns.js';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDINGS = [
  ['en', 'the postman keeps using my old street'],
  ['en', 'can i pay with bitcoin'],
  ['en', 'pay with bitcoin?'],
  ['en', 'do you deliver to mars'],
  ['de', 'kann ich mit bitcoin bezahlen'],
  ['de', 'gutschein einlösen'],
];
const ARTICLES = ['change-account-details', 'payment-methods', 'delivery-times', 'shipping-costs', 'order-status'];

export async function seedInsightsDemo(db: Kysely<Database>, now: Date, days = 30): Promise<void> {
  const r = random(42);
  await db.insertInto('customers').values({ id: 'demo', display_name: null, created_at: now.toISOString() }).onConflict((oc) => oc.doNothing()).execute();
  const iso = (t: number) => new Date(t).toISOString();
  let n = 0;
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = now.getTime() - d * 86_400_000 - 10 * 3_600_000;
    for (const [channel, perDay] of [['web', 9], ['sms', 4], ['voice', 2]] as const) {
      const count = Math.round(perDay * (0.6 + r() * 0.8));
      for (let i = 0; i < count; i++) {
        const created = dayStart + Math.floor(r() * 8 * 3_600_000);
        const handed = r() < (channel === 'voice' ? 0.5 : 0.3);
        const queued = handed ? created + 60_000 : null;
        const assigned = queued && r() < 0.9 ? queued + Math.floor(30_000 + r() * 600_000) : null;
        const resolved = assigned && r() < 0.9 ? assigned + Math.floor(120_000 + r() * 1_800_000) : null;
        const id = `demo-${n++}`;
        await db.insertInto('conversations').values({
          id, customer_id: 'demo', channel, locale: r() < 0.7 ? 'en' : 'de', status: resolved ? 'resolved' : handed ? 'queued' : 'bot', last_seq: 0,
          escalation_reason: handed ? (['customer_request', 'no_answer', 'not_helpful'] as const)[Math.floor(r() * 3)] : null,
          rating: resolved && r() < 0.6 ? 1 + Math.floor(r() * 5) : null,
          created_at: iso(created), updated_at: iso(created), queued_at: queued ? iso(queued) : null, assigned_at: assigned ? iso(assigned) : null, resolved_at: resolved ? iso(resolved) : null,
        } as any).execute();
        const turns = 1 + Math.floor(r() * 2);
        for (let t = 0; t < turns; t++) {
          const x = r();
          const decision = x < 0.45 ? 'answer' : x < 0.6 ? 'answer_with_alternatives' : x < 0.75 ? 'suggest' : x < 0.92 ? 'no_match' : 'hand_over';
          const gap = decision === 'suggest' || decision === 'no_match' || decision === 'hand_over';
          const [locale, query] = gap ? WORDINGS[Math.floor(r() * WORDINGS.length)] : ['en', 'where is my order'];
          const article = ARTICLES[Math.floor(r() * ARTICLES.length)];
          const y = r();
          const outcome = decision === 'suggest' || decision === 'answer_with_alternatives' ? (y < 0.6 ? 'picked' : y < 0.8 ? 'asked_again' : null)
            : decision === 'answer' ? (y < 0.5 ? 'helpful' : y < 0.65 ? 'not_helpful' : y < 0.75 ? 'asked_person' : null)
              : decision === 'no_match' ? (y < 0.5 ? 'asked_again' : y < 0.7 ? 'asked_person' : null) : null;
          await db.insertInto('bot_turns').values({
            conversation_id: id, query, locale, channel, decision, articles: JSON.stringify(decision === 'no_match' || decision === 'hand_over' ? [] : [{ id: article, confidence: 0.4 }]),
            top_article_id: decision === 'no_match' || decision === 'hand_over' ? null : article, confidence: 0.4, raw_score: 9.1,
            outcome, picked_option: outcome === 'picked' ? 1 + Math.floor(r() * 3) : null, outcome_at: null,
            agent_article_id: gap && query.includes('bitcoin') && r() < 0.5 ? 'payment-methods' : null, created_at: iso(created + t * 30_000),
          } as any).execute();
        }
      }
    }
    for (let s = 0; s < 6; s++) {
      const q = ['bitcoin', 'invoice copy', 'return label', 'delivery time', 'gift card'][Math.floor(r() * 5)];
      const shown = q === 'bitcoin' || q === 'gift card' ? [] : ['invoice-copy', 'delivery-times'];
      await db.insertInto('help_searches').values({ query: q, locale: 'en', result_count: shown.length, shown: JSON.stringify(shown), clicked_article_id: shown.length && r() < 0.5 ? shown[0] : null, clicked_at: null, created_at: iso(dayStart + s * 600_000) }).execute();
      await db.insertInto('article_views').values({ article_id: ARTICLES[Math.floor(r() * ARTICLES.length)], locale: 'en', channel: r() < 0.8 ? 'help_center' : 'sms', created_at: iso(dayStart + s * 600_000) }).execute();
    }
    if (d % 3 === 0) {
      await db.insertInto('feedback').values({ article_id: ARTICLES[d % ARTICLES.length], locale: 'en', helpful: d % 2, channel: 'web', comment: d % 2 ? null : 'The steps did not match what I see in my account.', conversation_id: null, created_at: iso(dayStart) }).execute();
    }
  }
  await new TurnRepository(db).rebuildCounts(); // the turns went straight into bot_turns
}
