import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-eval-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeArticle(id: string, title: string, questions: string[]): void {
  const file = path.join(dir, 'kb', 'en', 'help', `${id}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, ['---', `title: ${JSON.stringify(title)}`, 'questions:', ...questions.map((q) => `  - ${JSON.stringify(q)}`), '---', '', `${title}.`, ''].join('\n'));
}

writeArticle('card-arrival', 'When will my card arrive?', ['How long does card delivery take?', "My card hasn't arrived yet", 'Where is my new card?', 'Is my card on its way?']);
writeArticle('reset-password', 'How do I reset my password?', ["I can't log in", 'I forgot my password', 'Password reset link does not work', 'Change my password']);
writeArticle('refund', 'How do I get a refund?', ['Can I get my money back?', 'I want a refund', 'When will my refund arrive?', 'Refund for a returned item']);
writeArticle('opening-hours', 'When are you open?', ['What are your opening hours?', 'Can I call you on Sunday?', 'When is customer service available?', 'Are you open today?']);
writeArticle('cancel-order', 'How do I cancel my order?', ['Can I cancel an order?', 'I ordered by mistake', 'Stop my order please', 'Cancel my purchase']);
const questions = [
  { text: 'where is my card??', expected: 'card-arrival', locale: 'en' },
  { text: 'I forgot my password', expected: 'reset-password', locale: 'en' },
  { text: 'money back for my order', expected: 'refund', locale: 'en' },
  { text: 'are you open on sunday', expected: 'opening-hours' },
  { text: 'title:cancel^2 +order', expected: 'cancel-order', locale: 'en' },
  { text: 'What is the capital of Mongolia?', expected: null, locale: 'en' },
];
fs.writeFileSync(path.join(dir, 'questions.jsonl'), questions.map((q) => JSON.stringify(q)).join('\n') + '\n');

describe('npm run kb:eval', () => {
  it('reports quality with the product loader, search and decision, and ends with one JSON line', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/kb-eval.ts', '--kb', path.join(dir, 'kb'), '--questions', path.join(dir, 'questions.jsonl'), '--json'], { cwd: repo });
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
    expect(Object.keys(summary).sort()).toEqual([
      'alternativesContainRight',
      'alternativesLedRight',
      'alternativesLedWrong',
      'answeredCorrect',
      'decisions',
      'msPerQuery',
      'outOfScopeDeclined',
      'questions',
      'suggestedRight',
      'top1',
      'top3',
      'wrongAnswers',
    ]);
    expect(summary.questions).toBe(6);
    for (const key of ['top1', 'top3', 'answeredCorrect', 'outOfScopeDeclined', 'wrongAnswers']) {
      expect(summary[key]).toBeGreaterThanOrEqual(0);
      expect(summary[key]).toBeLessThanOrEqual(1);
    }
    expect(summary.top3).toBeGreaterThanOrEqual(summary.top1);
    expect(summary.top1).toBeGreaterThanOrEqual(0.8);
    expect(summary.outOfScopeDeclined).toBe(1);
    expect(stdout).toContain('6 questions');
    expect(stdout).toContain("bot/policy.ts decide() with the engine's calibration");
    // what the calibration had to go on and which rule set the answer threshold
    expect(stdout).toMatch(/en: answer at [\d.]+, with alternatives at [\d.]+, suggest at [\d.]+ \(measured on \d+ held-out alternative questions, \d+ held-out titles and \d+ texts of left-out articles; rule: /);
    // each kind of decision is counted
    expect(stdout).toMatch(/decisions \(of all questions\): answer [\d.]+ %, answer_with_alternatives [\d.]+ %, suggest [\d.]+ %, no_match [\d.]+ %/);
  });

  it('explains its usage when arguments are missing', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'server/cli/kb-eval.ts'], { cwd: repo })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
  });

  it('names the line of a malformed questions file', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"text": "ok", "expected": null}\nnot json\n');
    await expect(run(process.execPath, ['--import', 'tsx', 'server/cli/kb-eval.ts', '--kb', path.join(dir, 'kb'), '--questions', bad], { cwd: repo })).rejects.toMatchObject({
      stderr: expect.stringContaining('bad.jsonl:2'),
    });
  });
});
