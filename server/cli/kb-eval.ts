// npm run kb:eval -- --kb DIR --questions FILE.jsonl [--json] [--cache DIR]
// Asks every question of FILE against the knowledge base in DIR with the product's own loading,
// search and answer/suggest/no-match decision, and reports how often customers would be helped.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, readQuestions, type EvalReport } from '../kb/search/evaluate.js';
import { describeCalibration } from '../kb/search/calibration.js';

const percent = (r: number) => `${(r * 100).toFixed(1)} %`;

function formatReport(report: EvalReport, kbDir: string, questionsFile: string): string {
  const { summary: s } = report;
  const lines = [
    `kb:eval: ${s.questions} questions from ${questionsFile} (${report.inScope} in scope, ${report.outOfScope} out of scope) against ${kbDir}`,
    `  index build (load, analysis, training, calibration): ${(report.buildMs / 1000).toFixed(2)} s`,
    `  decision: bot/policy.ts decide() with the engine's calibration:`,
    ...Object.entries(report.calibration).map(([locale, c]) => `    ${locale}: ${c ? describeCalibration(c) : 'none'}`),
    '',
    `  top-1 (in scope)                   ${percent(s.top1)}`,
    `  top-3 (in scope)                   ${percent(s.top3)}`,
    `  answered correctly (in scope)      ${percent(s.answeredCorrect)}`,
    `  out of scope declined              ${report.outOfScope ? percent(s.outOfScopeDeclined) : 'n/a (no out-of-scope questions)'}`,
    `  wrong answers (of all questions)   ${percent(s.wrongAnswers)}`,
    `  answered with alternatives (in scope): led by the right article ${percent(s.alternativesLedRight)}, right one shown ${percent(s.alternativesContainRight)}; led by a wrong one (of all) ${percent(s.alternativesLedWrong)}`,
    `  suggestions with the right article (in scope) ${percent(s.suggestedRight)}`,
    `  decisions (of all questions): ${Object.entries(s.decisions).map(([k, r]) => `${k} ${percent(r)}`).join(', ')}`,
    `  ms per query                       ${s.msPerQuery.toFixed(3)}`,
  ];
  if (report.problems.length > 0) lines.push('', `Problems in the KB (${report.problems.length}):`, ...report.problems.slice(0, 20).map((p) => `  ${p}`));
  if (report.confusions.length > 0) {
    lines.push('', 'Worst confusions (expected -> answered instead, count):');
    for (const c of report.confusions.slice(0, 10)) lines.push(`  ${c.expected} -> ${c.answered}  ${c.count}`);
  }
  if (report.answeredOutOfScope.length > 0) {
    lines.push('', `Out-of-scope questions answered confidently (${report.answeredOutOfScope.length}, most confident first):`);
    for (const a of report.answeredOutOfScope.slice(0, 10)) lines.push(`  "${a.text}" -> ${a.answered} (${a.confidence.toFixed(2)})`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { kb: { type: 'string' }, questions: { type: 'string' }, json: { type: 'boolean', default: false }, cache: { type: 'string' } },
  });
  if (!values.kb || !values.questions) {
    console.error('usage: npm run kb:eval -- --kb DIR --questions FILE.jsonl [--json] [--cache DIR]');
    return 2;
  }
  const kbDir = path.resolve(values.kb);
  const questions = await readQuestions(values.questions);
  const report = await evaluate({ kbDir, questions, cacheDir: values.cache });
  console.log(formatReport(report, kbDir, values.questions));
  if (values.json) console.log(JSON.stringify(report.summary));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`kb:eval: ${error.message}`);
    process.exit(1);
  },
);
