// npm run kb:gaps -- [--since 30d] [--locale de] [--channel sms] [--json]
// The content-gap report of /insights in the terminal, for editors who work in git: customer questions
// without a confident answer, grouped by the engine's analysis of their wording, most frequent first.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStore } from '../store/database.js';
import { buildReport } from '../insights/report.js';

const DAY_MS = 86_400_000;

/** "30d", "12h", "2w" or a date (yyyy-mm-dd) -> the start instant */
export function sinceOf(value: string, now: Date): Date {
  const relative = /^(\d{1,4})([hdw])$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * { h: DAY_MS / 24, d: DAY_MS, w: 7 * DAY_MS }[relative[2] as 'h' | 'd' | 'w']);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return new Date(`${value}T00:00:00Z`);
  throw new Error(`--since must be like 30d, 12h, 2w or 2026-11-01, got "${value}"`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { since: { type: 'string', default: '30d' }, locale: { type: 'string' }, channel: { type: 'string' }, json: { type: 'boolean', default: false }, limit: { type: 'string', default: '50' } },
  });
  const now = new Date();
  const from = sinceOf(values.since!, now);
  const config = loadConfig();
  const store = await openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    const report = await buildReport(store.db, store.dialect, { from: from.toISOString(), to: now.toISOString(), ...(values.locale ? { locale: values.locale } : {}), ...(values.channel ? { channel: values.channel } : {}) });
    const gaps = report.gaps.slice(0, Math.max(1, Number(values.limit) || 50));
    if (values.json) {
      console.log(JSON.stringify({ from: from.toISOString(), to: now.toISOString(), locale: values.locale ?? null, gaps, searchesNoResult: report.searchesNoResult, searchesNoClick: report.searchesNoClick }, null, 2));
      return 0;
    }
    console.log(`Content gaps ${from.toISOString().slice(0, 10)} – ${now.toISOString().slice(0, 10)}${values.locale ? ` (${values.locale})` : ''}: questions without a confident answer, grouped by wording`);
    if (gaps.length === 0) console.log('  none');
    for (const g of gaps) {
      console.log(`\n${String(g.count).padStart(5)}×  [${g.locale}] "${g.wording}"  (${g.channels.join(', ')})`);
      for (const example of g.examples.slice(1)) console.log(`        also: "${example}"`);
      if (g.agentArticle) console.log(`        an agent sent: ${g.agentArticle}`);
      else if (g.offeredArticle) console.log(`        the bot offered: ${g.offeredArticle}`);
    }
    const list = (title: string, rows: Array<{ locale: string; query: string; count: number }>) => {
      console.log(`\n${title}${rows.length ? '' : ': none'}`);
      for (const r of rows.slice(0, 20)) console.log(`${String(r.count).padStart(5)}×  [${r.locale}] "${r.query}"`);
    };
    list('Help-center searches without a result', report.searchesNoResult);
    list('Help-center searches without a click', report.searchesNoClick);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`kb:gaps: ${error.message}`);
    process.exit(1);
  },
);
