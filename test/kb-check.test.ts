// npm run kb:check: what an editor runs before committing content.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { article, copyKb, writeKbFile } from './fixtures/kb-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function kbCheck(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/kb-check.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('kb:check', () => {
  it('exits 0 with a summary on a valid KB', () => {
    const { code, out } = kbCheck(['--kb', copyKb()]);
    expect(out).toMatch(/8 articles \(de: 4, en: 4\), no problems/);
    expect(code).toBe(0);
  });

  it('prints each problem as file:line: message and exits 1', () => {
    const kb = copyKb();
    writeKbFile(kb, 'de/payment/broken.md', '---\ntitle: Kaputt\nquestions: [a, b\n---\nText\n');
    writeKbFile(kb, 'en/account/dangling.md', article({ title: 'Dangling' }, 'See [this](article:missing-one).'));
    const { code, out } = kbCheck(['--kb', kb]);
    const lines = out.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/de\/payment\/broken\.md:\d+: bad YAML/));
    expect(lines).toContainEqual(expect.stringMatching(/en\/account\/dangling\.md:4: link to unknown article "missing-one"/));
    expect(lines.at(-1)).toMatch(/2 problems$/);
    expect(code).toBe(1);
  });

  it('reads KB_DIR when no --kb is given', () => {
    const kb = copyKb();
    writeKbFile(kb, 'misc/notes.md', article({ title: 'Notes' }));
    const { code, out } = kbCheck([], { KB_DIR: kb });
    expect(out).toMatch(/misc:1: unknown locale folder "misc"/);
    expect(code).toBe(1);
  });

  it('the sample content in kb-content/ has no problems', () => {
    const { code, out } = kbCheck(['--kb', 'kb-content']);
    expect(out).toMatch(/no problems/);
    expect(code).toBe(0);
  });
});
