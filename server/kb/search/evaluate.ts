// Measures answer quality the way customers meet it: the product's loader, search and decision policy,
// run over a file of questions with the article each should get (null: the KB does not cover it).
import fs from 'node:fs/promises';
import { decide, type PolicyOptions } from '../../../bot/policy.js';
import { createKnowledgeBase } from '../service.js';
import type { Calibration, CalibrationBasis } from './calibration.js';

export interface EvalQuestion {
  text: string;
  /** article id, or null when the KB does not cover the question */
  expected: string | null;
  locale?: string;
}

export interface EvalSummary {
  questions: number;
  /** in-scope questions whose first hit is the expected article */
  top1: number;
  /** in-scope questions with the expected article among the first three */
  top3: number;
  /** in-scope questions answered confidently with the expected article */
  answeredCorrect: number;
  /** out-of-scope questions that got no confident answer (a suggestion or no match) */
  outOfScopeDeclined: number;
  /** all questions answered confidently with a wrong article (or answered at all when out of scope) */
  wrongAnswers: number;
  /** in-scope questions answered with alternatives, the leading article the expected one */
  alternativesLedRight: number;
  /** in-scope questions answered with alternatives, the expected article the leading one or an alternative */
  alternativesContainRight: number;
  /** all questions answered with alternatives whose leading article is wrong (any article when out of scope) */
  alternativesLedWrong: number;
  /** in-scope questions given suggestions that include the expected article */
  suggestedRight: number;
  /** share of all questions per decision kind */
  decisions: Record<string, number>;
  msPerQuery: number;
}

export interface EvalReport {
  summary: EvalSummary;
  inScope: number;
  outOfScope: number;
  buildMs: number;
  calibration: Record<string, (Calibration & { basis?: CalibrationBasis }) | undefined>;
  /** expected -> answered article, most frequent first */
  confusions: Array<{ expected: string; answered: string; count: number }>;
  /** out-of-scope questions that got a confident answer */
  answeredOutOfScope: Array<{ text: string; answered: string; confidence: number }>;
  problems: string[];
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  const raw = await fs.readFile(file, 'utf8');
  return raw
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      let row: Partial<EvalQuestion>;
      try {
        row = JSON.parse(line) as Partial<EvalQuestion>;
      } catch {
        throw new Error(`${file}:${i + 1}: not a JSON object`);
      }
      if (typeof row.text !== 'string' || (row.expected !== null && typeof row.expected !== 'string')) {
        throw new Error(`${file}:${i + 1}: expected {"text": string, "expected": string | null, "locale"?: string}`);
      }
      return { text: row.text, expected: row.expected, locale: row.locale };
    });
}

export async function evaluate(options: {
  kbDir: string;
  questions: EvalQuestion[];
  cacheDir?: string;
  policy?: PolicyOptions;
  /** learned evidence to build with (as if customers had picked these articles for these questions) */
  learned?: Array<{ articleId: string; question: string; locale?: string }>;
}): Promise<EvalReport> {
  const started = performance.now();
  const logger = {
    info() {},
    warn: (message: string) => console.error(message),
    error: (details: object, message: string) => console.error(message, details),
  };
  const learned = options.learned ?? [];
  const kb = await createKnowledgeBase({
    kbDir: options.kbDir,
    publicUrl: 'http://localhost',
    watch: false,
    cacheDir: options.cacheDir,
    logger,
    learnedQuestions: async (locale) => learned.filter((l) => !l.locale || l.locale === locale),
  });
  const buildMs = performance.now() - started;
  try {
    const problems = kb.problems().map((p) => `${p.file}:${p.line}: ${p.message}`);
    const locales = kb.locales();
    const calibration: EvalReport['calibration'] = {};
    let inScope = 0;
    let outOfScope = 0;
    let top1 = 0;
    let top3 = 0;
    let answeredCorrect = 0;
    let declined = 0;
    let wrong = 0;
    let searchMs = 0;
    let ledRight = 0;
    let containRight = 0;
    let ledWrong = 0;
    let suggestedRight = 0;
    const decisions: Record<string, number> = { answer: 0, answer_with_alternatives: 0, suggest: 0, no_match: 0 };
    const confusions = new Map<string, number>();
    const answeredOutOfScope: EvalReport['answeredOutOfScope'] = [];
    for (const q of options.questions) {
      const locale = q.locale ?? locales[0];
      const t0 = performance.now();
      const result = await kb.search(q.text, locale, { limit: 5 });
      const decision = decide(result, options.policy);
      searchMs += performance.now() - t0;
      calibration[locale] ??= { ...result.calibration!, basis: kb.calibrationBasis?.(locale) };
      decisions[decision.kind]++;
      const ids = result.hits.map((h) => h.id);
      const answered = decision.kind === 'answer' ? decision.article : undefined;
      const led = decision.kind === 'answer_with_alternatives' ? decision : undefined;
      if (led && led.article.id !== q.expected) ledWrong++;
      if (q.expected === null) {
        outOfScope++;
        if (answered) {
          wrong++;
          answeredOutOfScope.push({ text: q.text, answered: answered.id, confidence: answered.confidence });
        } else declined++;
        continue;
      }
      inScope++;
      if (ids[0] === q.expected) top1++;
      if (ids.slice(0, 3).includes(q.expected)) top3++;
      if (led?.article.id === q.expected) ledRight++;
      if (led && [led.article, ...led.alternatives].some((a) => a.id === q.expected)) containRight++;
      if (decision.kind === 'suggest' && decision.articles.some((a) => a.id === q.expected)) suggestedRight++;
      if (answered?.id === q.expected) answeredCorrect++;
      else if (answered) {
        wrong++;
        const key = `${q.expected}\u0000${answered.id}`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
    }
    const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
    return {
      summary: {
        questions: options.questions.length,
        top1: ratio(top1, inScope),
        top3: ratio(top3, inScope),
        answeredCorrect: ratio(answeredCorrect, inScope),
        outOfScopeDeclined: ratio(declined, outOfScope),
        wrongAnswers: ratio(wrong, options.questions.length),
        alternativesLedRight: ratio(ledRight, inScope),
        alternativesContainRight: ratio(containRight, inScope),
        alternativesLedWrong: ratio(ledWrong, options.questions.length),
        suggestedRight: ratio(suggestedRight, inScope),
        decisions: Object.fromEntries(Object.entries(decisions).map(([k, n]) => [k, ratio(n, options.questions.length)])),
        msPerQuery: ratio(searchMs, options.questions.length),
      },
      inScope,
      outOfScope,
      buildMs,
      calibration,
      confusions: [...confusions]
        .map(([key, count]) => {
          const [expected, answered] = key.split('\u0000');
          return { expected, answered, count };
        })
        .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
      answeredOutOfScope: answeredOutOfScope.sort((a, b) => b.confidence - a.confidence),
      problems,
    };
  } finally {
    await kb.close();
  }
}
