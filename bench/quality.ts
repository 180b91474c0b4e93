// npm run bench:quality — builds knowledge bases from the public labelled sets in ../shared/bench with
// its make-kb.mjs, runs `kb:eval` on each (the product's loading, search and decision) and prints the
// results against the answer-quality targets (issue 5).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedQuestions } from './generated-kb.js';
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
const b77 = evaluate('Banking77, K=10, seed 1', build('banking77', ['--train', data('banking77/train.jsonl'), '--test', data('banking77/test.jsonl'), '--k', '10', '--seed', '1', '--locale', 'en']));
const oos = evaluate(
  'Banking77-OOS, K=10, seed 1, id_oos_test as out of scope',
  build('banking77-oos', ['--train', data('banking77_oos/train.jsonl'), '--test', data('banking77_oos/test.jsonl'), '--oos', data('banking77_oos/id_oos_test.jsonl'), '--k', '10', '--seed', '1', '--locale', 'en']),
);
const xsid = evaluate('xSID-de train, K=10, seed 1, the rest asked', build('xsid-de', ['--train', data('xsid_de/train.jsonl'), '--k', '10', '--seed', '1', '--locale', 'de', '--rest', 'true']));
const generatedFile = path.join(work, 'generated.jsonl');
writeGeneratedQuestions(data('banking77/train.jsonl'), generatedFile);
const large = evaluate('1,000 generated articles (Banking77 intents x invented products), K=10', build('generated', ['--train', generatedFile, '--k', '10', '--seed', '1', '--locale', 'en', '--rest', 'true']));

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
const rows: Array<[string, string, string, string, boolean]> = [
  ['Banking77 (77 articles)', 'top-1 / top-3', '≥ 80 % / ≥ 92 %', `${pct(b77.summary.top1)} / ${pct(b77.summary.top3)}`, b77.summary.top1 >= 0.8 && b77.summary.top3 >= 0.92],
  [
    'Banking77-OOS (50 articles)',
    'answered correctly / OOS declined / wrong',
    '≥ 60 % / ≥ 70 % / ≤ 12 %',
    `${pct(oos.summary.answeredCorrect)} / ${pct(oos.summary.outOfScopeDeclined)} / ${pct(oos.summary.wrongAnswers)}`,
    oos.summary.answeredCorrect >= 0.6 && oos.summary.outOfScopeDeclined >= 0.7 && oos.summary.wrongAnswers <= 0.12,
  ],
  ['xSID-de train (15 articles)', 'top-1', '≥ 90 %', pct(xsid.summary.top1), xsid.summary.top1 >= 0.9],
  [
    '1,000 generated articles',
    'index build incl. training / ms per query',
    '≤ 10 s / ≤ 2 ms',
    `${large.buildSeconds.toFixed(1)} s / ${large.summary.msPerQuery.toFixed(2)} ms`,
    large.buildSeconds <= 10 && large.summary.msPerQuery <= 2,
  ],
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length), ['set', 'measure', 'target', 'measured'][i].length));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 4)).join(' | ')} |`;
console.log(`\n=== Answer quality against the targets (issue 5) — ${((Date.now() - started) / 1000).toFixed(0)} s ===`);
console.log(line(['set', 'measure', 'target', 'measured', 'met']));
console.log(line(widths.map((w) => '-'.repeat(w)).concat('---')));
for (const r of rows) console.log(line([r[0], r[1], r[2], r[3], r[4] ? 'yes' : 'NO']));
console.log(`(extra: Banking77 answered correctly ${pct(b77.summary.answeredCorrect)}, wrong ${pct(b77.summary.wrongAnswers)}; generated set top-1 ${pct(large.summary.top1)}, top-3 ${pct(large.summary.top3)})`);
fs.rmSync(work, { recursive: true, force: true });
