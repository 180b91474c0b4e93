// Dev harness: per-question confidence signals of the test questions and of the calibration's
// cross-validated observations, written as JSON for offline study of signals and threshold rules.
//   npx tsx bench/dev-signals.ts OUT.json DIR...
import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledgeBase } from '../server/kb/loader.js';
import { analyzerFor, DEFAULT_SETTINGS, plannedTraining, Ranker } from '../server/kb/search/model.js';
import { crossValidate } from '../server/kb/search/calibration.js';
import { trainLocaleModel, type TrainingInput } from '../server/kb/search/training.js';
import { readQuestions } from './dev-articles.js';

type R = { index: number; score: number; probability: number };
export function signals(ranker: Ranker, query: string) {
  const r = ranker as unknown as { classifier: { predict(v: unknown): Array<{ article: number; probability: number }> }; lexical: { search(t: string[], f: number): Map<string, number>; weightsByTerm: Map<string, Map<string, number>> }; model: { ids: string[] } };
  const ranked: R[] = ranker.rank(query);
  const { vector, terms } = ranker.vectorize(query);
  const uniq = [...new Set(terms)];
  const cls = terms.length ? r.classifier.predict(vector) : [];
  const lex = terms.length ? r.lexical.search(terms, 0) : new Map<string, number>();
  const lexSorted = [...lex].sort((a, b) => b[1] - a[1]);
  const topId = ranked[0] ? r.model.ids[ranked[0].index] : undefined;
  const known = uniq.filter((t) => r.lexical.weightsByTerm.has(t));
  const inTop = uniq.filter((t) => topId !== undefined && r.lexical.weightsByTerm.get(t)?.has(topId));
  const ids = r.model.ids;
  return {
    top: ranked.slice(0, 3).map((x) => x.index),
    p1: ranked[0]?.probability ?? 0,
    p2: ranked[1]?.probability ?? 0,
    c1: cls[0]?.probability ?? 0,
    c2: cls[1]?.probability ?? 0,
    clsAgree: cls[0] !== undefined && ranked[0] !== undefined && cls[0].article === ranked[0].index ? 1 : 0,
    lexAgree: lexSorted[0] !== undefined && lexSorted[0][0] === topId ? 1 : 0,
    lexRatio: lexSorted.length > 1 ? lexSorted[1][1] / lexSorted[0][1] : 0,
    lexBest: lexSorted[0]?.[1] ?? 0,
    lexTopShare: topId && lexSorted.length ? (lex.get(topId) ?? 0) / lexSorted[0][1] : 0,
    n: uniq.length,
    known: uniq.length ? known.length / uniq.length : 0,
    inTop: uniq.length ? inTop.length / uniq.length : 0,
    inTopKnown: known.length ? inTop.length / known.length : 0,
    ids,
  };
}

const [out, ...dirs] = process.argv.slice(2);
const result: Record<string, unknown> = {};
for (const dir of dirs) {
  const loaded = await loadKnowledgeBase(path.join(dir, 'kb'));
  const questions = readQuestions(path.join(dir, 'questions.jsonl'));
  const perLocale: Record<string, unknown> = {};
  const tests: unknown[] = [];
  for (const locale of new Set(loaded.articles.map((a) => a.locale))) {
    const articles = loaded.articles.filter((a) => a.locale === locale);
    const input: TrainingInput = { locale, articles: articles.map((a) => ({ ...a, body: '', html: '' })), synonyms: loaded.synonyms.get(locale) ?? [], settings: DEFAULT_SETTINGS };
    const analyzer = analyzerFor(locale, input.articles, input.synonyms);
    const settings = { ...input.settings, ...plannedTraining(analyzer, input.articles, input.settings) };
    const feats: unknown[] = [];
    const obs = crossValidate(analyzer, input.articles, settings, (ranker, q) => {
      const s = signals(ranker, q);
      feats.push({ ...s, ids: undefined, q, topTitle: input.articles.find((a) => a.id === s.ids[s.top[0]])?.title });
      return { top: s.top, confidence: s.p1 };
    });
    perLocale[locale] = obs.map((o, i) => ({ ...o, ...(feats[i] as object) }));
    const ranker = new Ranker(analyzer, trainLocaleModel(input), input.settings);
    questions.forEach((q, i) => {
      if ((q.locale ?? loaded.articles[0].locale) !== locale) return;
      const s = signals(ranker, q.text);
      tests.push({ i, locale, text: q.text, expected: q.expected, oos: q.expected === null, correct: s.ids[s.top[0]] === q.expected, inTop3: s.top.map((t) => s.ids[t]).includes(q.expected as string), ...s, ids: undefined });
    });
  }
  result[path.basename(dir)] = { cv: perLocale, test: tests };
  console.log(dir, 'done');
}
fs.writeFileSync(out, JSON.stringify(result));
