// npm run kb:gaps: the content-gap report in the terminal, from the same database and grouping as /insights.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../server/store/database.js';
import { TurnRepository } from '../server/store/turns.js';
import { tempDir } from './helpers/services.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function kbGaps(args: string[], databaseUrl: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/kb-gaps.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('kb:gaps', { timeout: 90_000 }, () => {
  it('prints unanswered questions grouped by wording, filtered by period and locale, as text or JSON', async () => {
    const url = `sqlite:${path.join(tempDir(), 'gaps.sqlite')}`;
    const store = await openStore(url);
    const now = Date.now();
    const turn = (daysAgo: number, locale: string, query: string, decision: string, agent: string | null = null) =>
      store.db.insertInto('bot_turns').values({
        conversation_id: null, query, locale, channel: 'web', decision, articles: '[]', top_article_id: null, confidence: null, raw_score: null,
        outcome: null, picked_option: null, outcome_at: null, agent_article_id: agent, created_at: new Date(now - daysAgo * 86_400_000).toISOString(),
      }).execute();
    await turn(1, 'de', 'Kann ich mit Bitcoin bezahlen?', 'no_match');
    await turn(2, 'de', 'bitcoin bezahlen', 'hand_over', 'zahlungsarten');
    await turn(3, 'de', 'Wie lange dauert der Versand?', 'answer'); // answered: no gap
    await turn(4, 'en', 'pay with bitcoin', 'no_match');
    await turn(40, 'de', 'Gutschein einlösen', 'no_match'); // before --since 30d
    await new TurnRepository(store.db).rebuildCounts();
    await store.close();

    const json = kbGaps(['--since', '30d', '--locale', 'de', '--json'], url);
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.gaps.map((g: any) => [g.wording, g.count, g.agentArticle])).toEqual([['bitcoin bezahlen', 2, 'zahlungsarten']]);
    expect(report.gaps[0].examples).toEqual(['bitcoin bezahlen', 'kann ich mit bitcoin bezahlen?']);

    const text = kbGaps(['--since', '60d'], url);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/2×\s+\[de\] "bitcoin bezahlen"\s+\(web\)\n\s+also: "kann ich mit bitcoin bezahlen\?"\n\s+an agent sent: zahlungsarten/);
    expect(text.out).toContain('[de] "gutschein einlösen"');
    expect(text.out).toContain('[en] "pay with bitcoin"');

    const bad = kbGaps(['--since', 'yesterday'], url);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--since must be like 30d');
  });
});
