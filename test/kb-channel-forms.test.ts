// kb:check warns (never fails) when a summary is too long for an SMS with its link or for a phone answer;
// kb:preview shows an article as web chat, SMS and phone give it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { article, copyKb, writeKbFile } from './fixtures/kb-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function run(script: string, args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, PUBLIC_URL: 'https://help.example' }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout + result.stderr };
}

const LONG = 'Sie können Ihre Bestellung innerhalb von 30 Tagen ohne Angabe von Gründen zurückschicken, wenn die Ware ungetragen ist und alle Etiketten noch daran sind; den Rücksendeschein finden Sie in Ihrem Kundenkonto unter Bestellungen, und die Erstattung erfolgt nach Eingang innerhalb von 14 Tagen auf das ursprüngliche Zahlungsmittel.';

describe('kb:check channel warnings', () => {
  it('warns with file:line about a summary too long for 2 SMS segments or 40 spoken words, and still exits 0', () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/payment/long-summary.md', article({ title: 'Rücksendung', summary: LONG }));
    writeKbFile(kb, 'en/payment/short-summary.md', article({ title: 'Short', summary: 'Pay by card or invoice.' }));
    const { code, out } = run('server/cli/kb-check.ts', ['--kb', kb]);
    expect(out).toMatch(/de\/payment\/long-summary\.md:3: warning: summary does not fit 2 SMS segments with its link \(GSM-7\)/);
    expect(out).toMatch(/de\/payment\/long-summary\.md:3: warning: summary is 4\d spoken words \(at most 40\)/);
    expect(out).not.toContain('short-summary.md');
    expect(out).toMatch(/no problems, 2 warnings$/m);
    expect(code).toBe(0);
  });
});

describe('kb:preview', () => {
  it('prints the web, SMS and voice forms of one article', () => {
    const { code, out } = run('server/cli/kb-preview.ts', ['shipping-costs', '--locale', 'de', '--kb', 'kb-content']);
    expect(code).toBe(0);
    expect(out).toContain('## Web chat (card)\nWas kostet der Versand?');
    expect(out).toMatch(/## SMS: [12] segment\(s\), GSM-7\n.*4,95 €.*\nhttps:\/\/help\.example\/s\/[\w-]{7}\nHat das geholfen\? Antworten Sie JA oder NEIN/);
    expect(out).toMatch(/## Phone: summary \d+ spoken words\nIn Deutschland kostet der Versand 4 Euro 95/);
    expect(run('server/cli/kb-preview.ts', ['no-such-article']).code).toBe(1);
  });
});
