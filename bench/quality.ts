// npm run bench:quality — runs `kb:eval` (the product's loading, search and decision) on the public
// labelled sets in ../shared/bench: the two help-center KBs as they are, and KBs built from the intent
// sets with its make-kb.mjs; prints every figure against the answer-quality targets (issues 5 and 11),
// and what learning from usage adds on the help-center KBs (bench/learned.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedQuestions } from './generated-kb.js';
import { learnedEffect, mean } from './learned.js';
import type { EvalSummary } from '../server/kb/search/evaluate.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.resolve(process.env.BENCH_DIR ?? path.join(repo, '..', 'shared', 'bench'));
const makeKb = path.join(benchDir, 'make-kb.mjs');
if (!fs.existsSync(makeKb)) {
  console.error(`bench:quality: ${makeKb} not found. The benchmark data lives in ../shared/bench next to the repository (or set BENCH_DIR).`);
  process.exit(2);
}
const data = (file: string) => path.join(benchDir, 'data', file);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quality-'));

type Summary = EvalSummary;

function build(name: string, args: string[]): string {
  const out = path.join(work, name);
  execFileSync(process.execPath, [makeKb, ...args, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

function evaluate(name: string, dir: string): { summary: Summary; buildSeconds: number } {
  console.log(`\n=== ${name} ===`);
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'server/cli/kb-eval.ts'), '--kb', path.join(dir, 'kb'), '--questions', path.join(dir, 'questions.jsonl'), '--json'], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  console.log(output.trimEnd());
  const lines = output.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1]) as Summary;
  const buildSeconds = Number(/index build[^:]*: ([\d.]+) s/.exec(output)?.[1] ?? NaN);
  return { summary, buildSeconds };
}

const started = Date.now();
const telco = evaluate('faq_en_telco (help center, 40 articles with a body, 0-3 alternative questions)', data('faq_en_telco'));
const insurance = evaluate('faq_de_insurance (help center, 40 articles with a body, 0-3 alternative questions)', data('faq_de_insurance'));
const b77 = evaluate('Banking77, K=10, seed 1', build('banking77', ['--train', data('banking77/train.jsonl'), '--test', data('banking77/test.jsonl'), '--k', '10', '--seed', '1', '--locale', 'en']));
const oosArgs = ['--train', data('banking77_oos/train.jsonl'), '--test', data('banking77_oos/test.jsonl'), '--oos', data('banking77_oos/id_oos_test.jsonl'), '--seed', '1', '--locale', 'en'];
const oos = evaluate('Banking77-OOS, K=10, seed 1, id_oos_test as out of scope', build('banking77-oos', [...oosArgs, '--k', '10']));
const oos3 = evaluate('Banking77-OOS, K=3, seed 1, id_oos_test as out of scope', build('banking77-oos-k3', [...oosArgs, '--k', '3']));
const xsid = evaluate('xSID-de train, K=10, seed 1, the rest asked', build('xsid-de', ['--train', data('xsid_de/train.jsonl'), '--k', '10', '--seed', '1', '--locale', 'de', '--rest', 'true']));
const generatedFile = path.join(work, 'generated.jsonl');
writeGeneratedQuestions(data('banking77/train.jsonl'), generatedFile);
const large = evaluate('1,000 generated articles (Banking77 intents x invented products), K=10', build('generated', ['--train', generatedFile, '--k', '10', '--seed', '1', '--locale', 'en', '--rest', 'true']));

console.log('\n=== learning from usage: half of the questions replayed as picked suggestions, the other half asked ===');
const learned = { telco: await learnedEffect(data('faq_en_telco')), insurance: await learnedEffect(data('faq_de_insurance')) };

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
const five = (s: Summary) => `${pct(s.top1)} / ${pct(s.top3)} / ${pct(s.answeredCorrect)} / ${pct(s.outOfScopeDeclined)} / ${pct(s.wrongAnswers)}`;
const FIVE = 'top-1 / top-3 / answered correctly / OOS declined / wrong';
const faqTarget = (s: Summary) => s.top1 >= 0.6 && s.top3 >= 0.8 && s.answeredCorrect >= 0.35 && s.outOfScopeDeclined >= 0.8 && s.wrongAnswers <= 0.05;
type Row = [string, string, string, string, boolean | undefined];
const rows: Row[] = [
  ['faq_en_telco (40 articles)', FIVE, '≥ 60 / ≥ 80 / ≥ 35 / ≥ 80 / ≤ 5 %', five(telco.summary), faqTarget(telco.summary)],
  ['faq_de_insurance (40 articles)', FIVE, '≥ 60 / ≥ 80 / ≥ 35 / ≥ 80 / ≤ 5 %', five(insurance.summary), faqTarget(insurance.summary)],
  [
    'Banking77-OOS, K=3',
    FIVE,
    'report / report / ≥ 30 / ≥ 70 / ≤ 8 %',
    five(oos3.summary),
    oos3.summary.answeredCorrect >= 0.3 && oos3.summary.outOfScopeDeclined >= 0.7 && oos3.summary.wrongAnswers <= 0.08,
  ],
  ['Banking77 (77 articles)', 'top-1 / top-3', '≥ 80 % / ≥ 92 %; no worse than 78.2 %', `${pct(b77.summary.top1)} / ${pct(b77.summary.top3)}`, b77.summary.top1 >= 0.782],
  [
    'Banking77-OOS (50 articles)',
    'answered correctly / OOS declined / wrong',
    '≥ 60 % / ≥ 70 % / ≤ 12 %; answered no worse than 51.2 %',
    `${pct(oos.summary.answeredCorrect)} / ${pct(oos.summary.outOfScopeDeclined)} / ${pct(oos.summary.wrongAnswers)}`,
    oos.summary.answeredCorrect >= 0.512 && oos.summary.outOfScopeDeclined >= 0.7 && oos.summary.wrongAnswers <= 0.12,
  ],
  ['xSID-de train (15 articles)', 'top-1', '≥ 90 %; no worse than 92.9 %', pct(xsid.summary.top1), xsid.summary.top1 >= 0.929],
  [
    '1,000 generated articles',
    'index build incl. training / ms per query',
    '≤ 10 s / ≤ 2 ms',
    `${large.buildSeconds.toFixed(1)} s / ${large.summary.msPerQuery.toFixed(2)} ms`,
    large.buildSeconds <= 10 && large.summary.msPerQuery <= 2,
  ],
  ['faq_en_telco, other half, without learned', FIVE, 'report', five(mean(learned.telco.without)), undefined],
  ['faq_en_telco, other half, with learned', FIVE, 'report', five(mean(learned.telco.with)), undefined],
  ['faq_de_insurance, other half, without learned', FIVE, 'report', five(mean(learned.insurance.without)), undefined],
  ['faq_de_insurance, other half, with learned', FIVE, 'report', five(mean(learned.insurance.with)), undefined],
];
const header = ['set', 'measure', 'target', 'measured'];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length), header[i].length));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 4)).join(' | ')} |`;
console.log(`\n=== Answer quality against the targets (issues 5 and 11) — ${((Date.now() - started) / 1000).toFixed(0)} s ===`);
console.log(line([...header, 'met']));
console.log(line(widths.map((w) => '-'.repeat(w)).concat('---')));
for (const r of rows) console.log(line([r[0], r[1], r[2], r[3], r[4] === undefined ? '' : r[4] ? 'yes' : 'NO']));
const alternatives = (s: Summary) => `${pct(s.alternativesLedRight)} led right (${pct(s.alternativesContainRight)} right one shown), ${pct(s.alternativesLedWrong)} led wrong`;
console.log(`(answered with alternatives: telco ${alternatives(telco.summary)}; insurance ${alternatives(insurance.summary)}; Banking77-OOS K=3 ${alternatives(oos3.summary)})`);
console.log(`(extra: Banking77 answered correctly ${pct(b77.summary.answeredCorrect)}, wrong ${pct(b77.summary.wrongAnswers)}; Banking77-OOS top-1 ${pct(oos.summary.top1)}; generated set top-1 ${pct(large.summary.top1)}, top-3 ${pct(large.summary.top3)})`);
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
