// Dev harness: what each part of the engine adds, measured on make-kb.mjs outputs (top-1 / top-3 of
// the ranking; no decision). Not product code: it rebuilds the pieces with parts switched off.
//   npx tsx bench/ablation.ts /tmp/b77 /tmp/xsid ...
import path from 'node:path';
import lunr from 'lunr';
import type { Analyzer } from '../server/kb/search/analysis.js';
import { LexicalIndex } from '../server/kb/search/lexical.js';
import { analyzerFor, DEFAULT_SETTINGS, lexicalDocument, Ranker, trainModel, type ModelSettings } from '../server/kb/search/model.js';
import type { Article } from '../server/kb/types.js';
import { readBenchKb, readQuestions, type BenchQuestion } from './dev-articles.js';

type RankFn = (query: string) => string[];

function score(rank: RankFn, questions: BenchQuestion[]): string {
  let top1 = 0;
  let top3 = 0;
  let n = 0;
  for (const q of questions) {
    if (q.expected === null) continue;
    n++;
    const ids = rank(q.text).slice(0, 3);
    if (ids[0] === q.expected) top1++;
    if (ids.includes(q.expected)) top3++;
  }
  return `${((top1 / n) * 100).toFixed(1)} / ${((top3 / n) * 100).toFixed(1)}`;
}

/** lunr as shipped: its own pipeline and query parser, punctuation stripped from the query (bench README reference). */
function plainLunr(articles: Article[], stripPunctuation = true): RankFn {
  const index = lunr(function () {
    this.ref('id');
    this.field('title');
    this.field('body');
    for (const a of articles) this.add({ id: a.id, title: a.title, body: a.questions.join(' ') });
  });
  return (query) => {
    const cleaned = stripPunctuation ? query.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim() : query;
    try {
      return cleaned ? index.search(cleaned).map((r) => r.ref) : [];
    } catch {
      return [];
    }
  };
}

function withoutStopWords(analyzer: Analyzer): Analyzer {
  const filter = lunr.stopWordFilter as unknown as (t: lunr.Token) => lunr.Token | undefined;
  return { ...analyzer, analyze: (text) => {
    const a = analyzer.analyze(text);
    return { words: a.words, terms: a.terms.filter((t) => filter(new lunr.Token(t, {})) !== undefined) };
  } };
}

function lexicalOnly(analyzer: Analyzer, articles: Article[]): RankFn {
  const index = LexicalIndex.build(articles.map((a) => lexicalDocument(analyzer, a)));
  return (query) => [...index.search(analyzer.analyze(query).terms)].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

function ranker(analyzer: Analyzer, articles: Article[], settings: Partial<ModelSettings>): RankFn {
  const full = { ...DEFAULT_SETTINGS, ...settings };
  const model = trainModel(analyzer, articles, full);
  const r = new Ranker(analyzer, model, full);
  return (query) => r.rank(query).map((x) => model.ids[x.index]);
}

for (const dir of process.argv.slice(2)) {
  const [[locale, articles]] = [...readBenchKb(path.join(dir, 'kb'))];
  const questions = readQuestions(path.join(dir, 'questions.jsonl'));
  const analyzer = analyzerFor(locale, articles);
  const noCompounds = (locale === 'de' ? (await import('../server/kb/search/analysis.js')).createAnalyzer(locale) : analyzer);
  const rows: Array<[string, RankFn]> = [
    ['plain lunr, query as typed (syntax errors: no hits)', plainLunr(articles, false)],
    ['plain lunr (own pipeline, punctuation stripped)', plainLunr(articles)],
    ['lunr on the shared analysis, stop words removed', lexicalOnly(withoutStopWords(analyzer), articles)],
    ['lunr on the shared analysis (stop words kept)', lexicalOnly(analyzer, articles)],
    ['classifier alone', ranker(analyzer, articles, { lexicalWeight: 0 })],
    ['classifier + lunr (product)', ranker(analyzer, articles, {})],
  ];
  if (locale === 'de') rows.push(['classifier + lunr, no compound splitting', ranker(noCompounds, articles, {})]);
  console.log(`\n${dir} (${locale}, ${articles.length} articles) — top-1 / top-3 %`);
  for (const [name, rank] of rows) console.log(`  ${name.padEnd(52)} ${score(rank, questions)}`);
}
