// Dev harness: top-1 / top-3 of the ranker on a make-kb.mjs output, with settings from the command line.
//   npx tsx bench/dev-eval.ts /tmp/b77 l2=1 iterations=20 lexicalWeight=0
import path from 'node:path';
import { analyzerFor, DEFAULT_SETTINGS, Ranker, trainModel, type ModelSettings } from '../server/kb/search/model.js';
import { readBenchKb, readQuestions } from './dev-articles.js';

const [dir, ...overrides] = process.argv.slice(2);
const settings: ModelSettings = { ...DEFAULT_SETTINGS, features: { ...DEFAULT_SETTINGS.features } };
for (const o of overrides) {
  const [k, v] = o.split('=');
  const target = (k in settings.features ? settings.features : settings) as unknown as Record<string, number | boolean>;
  target[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v as never : Number(v);
}
const kb = readBenchKb(path.join(dir, 'kb'));
const questions = readQuestions(path.join(dir, 'questions.jsonl'));
for (const [locale, articles] of kb) {
  const t0 = performance.now();
  const analyzer = analyzerFor(locale, articles);
  const model = trainModel(analyzer, articles, settings);
  const ranker = new Ranker(analyzer, model, settings);
  const trainMs = performance.now() - t0;
  let top1 = 0, top3 = 0, inScope = 0;
  const t1 = performance.now();
  for (const q of questions) {
    if ((q.locale ?? locale) !== locale || q.expected === null) continue;
    inScope++;
    const ranked = ranker.rank(q.text).slice(0, 3).map((r) => model.ids[r.index]);
    if (ranked[0] === q.expected) top1++;
    if (ranked.includes(q.expected)) top3++;
  }
  const ms = (performance.now() - t1) / inScope;
  console.log(JSON.stringify({ locale, settings, top1: +(top1 / inScope).toFixed(4), top3: +(top3 / inScope).toFixed(4), trainMs: Math.round(trainMs), ms: +ms.toFixed(3) }));
}
