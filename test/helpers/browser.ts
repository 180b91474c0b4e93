// Real headless Chromium for browser tests (playwright-core drives the Debian `chromium` package).
// Without a browser a developer's run skips those tests with a loud reason; in CI (CI=true) they fail.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { IN_CI } from './services.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** null when the browser can be launched, else the reason it cannot. */
export function browserProblem(): string | null {
  return fs.existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/**
 * Launches headless Chromium, or returns undefined when there is none (and says why on stderr).
 * Throws in CI so a missing browser can never pass silently. Call in beforeAll; one browser per file,
 * a new context per test (`browser.newContext()`), and `await browser?.close()` in afterAll.
 */
export async function launchBrowser(): Promise<Browser | undefined> {
  const problem = browserProblem();
  if (problem) {
    if (IN_CI) throw new Error(`CI=true but ${problem}`);
    console.warn(`\n*** SKIPPING browser tests: ${problem} ***\n`);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const AXE_SOURCE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page on what `selector` matches; a shadow host includes its open shadow tree.
 * Returns the serious and critical violations, each with the offending nodes' HTML for the failure message.
 */
export async function seriousAxeViolations(page: Page, selector = 'body'): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async (context) => {
    const axe = (window as any).axe;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => `${n.html} -> ${n.failureSummary}`) }));
  }, selector);
}
