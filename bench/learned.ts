// What learning from usage adds (issue 11): half of a KB's test questions are replayed as "the customer
// picked this article" events, the KB is built with them as learned evidence, and the other half is
// asked, against the same half asked of the KB without them. Then the halves swap.
//   npx tsx bench/learned.ts DIR...      (DIR holds kb/ and questions.jsonl, e.g. ../shared/bench/data/faq_en_telco)
import path from 'node:path';
import { evaluate, readQuestions, type EvalSummary } from '../server/kb/search/evaluate.js';

const pct = (r: number) => `${(r * 100).toFixed(1)} %`.padStart(7);
const row = (s: EvalSummary) => `top-1 ${pct(s.top1)}  top-3 ${pct(s.top3)}  answered correctly ${pct(s.answeredCorrect)}  out of scope declined ${pct(s.outOfScopeDeclined)}  wrong ${pct(s.wrongAnswers)}`;

export async function learnedEffect(dir: string): Promise<{ without: EvalSummary[]; with: EvalSummary[] }> {
  const questions = await readQuestions(path.join(dir, 'questions.jsonl'));
  const result = { without: [] as EvalSummary[], with: [] as EvalSummary[] };
  for (const half of [0, 1]) {
    const replayed = questions.filter((q, i) => i % 2 === half && q.expected !== null);
    const asked = questions.filter((_, i) => i % 2 !== half);
    const learned = replayed.map((q) => ({ articleId: q.expected!, question: q.text, locale: q.locale }));
    result.without.push((await evaluate({ kbDir: path.join(dir, 'kb'), questions: asked })).summary);
    result.with.push((await evaluate({ kbDir: path.join(dir, 'kb'), questions: asked, learned })).summary);
  }
  return result;
}

/** The mean of the two halves' summaries (each half is asked once). */
export function mean(summaries: EvalSummary[]): EvalSummary {
  const keys = ['top1', 'top3', 'answeredCorrect', 'outOfScopeDeclined', 'wrongAnswers', 'msPerQuery'] as const;
  const out = { ...summaries[0] };
  for (const k of keys) out[k] = summaries.reduce((sum, s) => sum + s[k], 0) / summaries.length;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const dir of process.argv.slice(2)) {
    const r = await learnedEffect(dir);
    console.log(`${path.basename(dir)}: the other half of the questions, without and with the replayed half as learned evidence`);
    console.log(`  without  ${row(mean(r.without))}`);
    console.log(`  with     ${row(mean(r.with))}`);
  }
  process.exit(0);
}
