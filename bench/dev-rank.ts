// Dev harness: ranking only (no calibration), top-1 / top-3 on all questions and on the odd / even
// halves, for quick checks of a ranking change on several KB folders at once.
//   npx tsx bench/dev-rank.ts DIR... [setting=value ...]     (DIR holds kb/ and questions.jsonl)
//   FAILS=1 prints the questions whose expected article is not first.
import path from 'node:path';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { buildRankerFor, type EngineHit } from '../server/kb/search/engine.js';
import { trainLocaleModel } from '../server/kb/search/training.js';
import { devArguments, readQuestions } from './dev-articles.js';

const { dirs, settings } = devArguments(process.argv.slice(2));
const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '-').padStart(5);
for (const dir of dirs) {
  const loaded = await loadKnowledgeBase(path.join(dir, 'kb'));
  const questions = readQuestions(path.join(dir, 'questions.jsonl'));
  const t0 = performance.now();
  // ranked as the product ranks (buildRankerFor: with the model's WordNet expansions)
  const rankers = new Map<string, (query: string, limit: number) => EngineHit[]>();
  for (const locale of new Set(loaded.articles.map((a) => a.locale))) {
    const articles = loaded.articles.filter((a) => a.locale === locale).map((a) => ({ ...a, body: '', html: '' }));
    const input = { locale, articles, synonyms: loaded.synonyms.get(locale) ?? [], settings };
    rankers.set(locale, buildRankerFor(input, trainLocaleModel(input)));
  }
  const trainMs = performance.now() - t0;
  const first = loaded.articles[0].locale;
  const r = { all: [0, 0, 0], odd: [0, 0, 0], even: [0, 0, 0] } as Record<string, number[]>;
  const t1 = performance.now();
  questions.forEach((q, i) => {
    if (q.expected === null) return;
    const top = rankers.get(q.locale ?? first)!(q.text, 3).map((h) => h.id);
    for (const key of ['all', i % 2 ? 'odd' : 'even']) {
      r[key][0]++;
      if (top[0] === q.expected) r[key][1]++;
      if (top.includes(q.expected)) r[key][2]++;
    }
    if (process.env.FAILS && top[0] !== q.expected) console.log(`  ${q.expected} <- ${top.join(', ')}: ${q.text}`);
  });
  const queryMs = (performance.now() - t1) / questions.length;
  const cell = (k: string) => `${pct(r[k][1], r[k][0])} /${pct(r[k][2], r[k][0])}`;
  console.log(`${path.basename(dir).padEnd(16)} all ${cell('all')}   odd ${cell('odd')}   even ${cell('even')}   train ${(trainMs / 1000).toFixed(1)} s  ${queryMs.toFixed(2)} ms/q`);
}
