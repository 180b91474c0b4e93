// Real headless Chromium for browser tests (playwright-core drives the Debian `chromium` package).
// Without a browser a developer's run skips those tests with a loud reason; in CI (CI=true) they fail.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { IN_CI, openSqliteStore, tempDir } from './services.js';

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
 * Waits for running CSS transitions/animations first.
 * Returns the serious and critical violations, each with the offending nodes' HTML for the failure message.
 */
export async function seriousAxeViolations(page: Page, selector = 'body'): Promise<AxeViolation[]> {
  // a fade-in measured halfway looks like low contrast: let finite animations finish (spinners run forever)
  // (document.getAnimations() leaves out shadow trees: ask each open shadow root too)
  await page.evaluate(() => {
    const roots: Array<Document | ShadowRoot> = [document];
    for (const element of document.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
    const finite = roots.flatMap((root) => root.getAnimations()).filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
    return Promise.all(finite.map((a) => a.finished.catch(() => {})));
  });
  // evaluated through the DevTools protocol, not as an inline <script>: the page's own CSP (script-src 'self') stays on
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${fs.readFileSync(AXE_SOURCE, 'utf8')}\n;void 0`);
  return page.evaluate(async (context) => {
    const axe = (window as any).axe;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => `${n.html} -> ${n.failureSummary}`) }));
  }, selector);
}

export interface ListeningApp {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:41234, also the app's PUBLIC_URL so links in replies point at it */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app on a free port with the sample KB and a fresh SQLite store, for a browser to talk to.
 * The team is always in (OPENING_HOURS all week) so escalations queue, whatever the time of the run;
 * pass `env` to override any setting.
 */
export async function startListeningApp(env: Record<string, string> = {}): Promise<ListeningApp> {
  // links in bot replies are built from PUBLIC_URL when the KB loads, so the port is chosen first
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const store = await openSqliteStore();
  const config = testConfig({ KB_DIR: path.resolve('kb-content'), DATA_DIR: tempDir(), PORT: String(port), PUBLIC_URL: baseUrl, OPENING_HOURS: 'mon-sun 00:00-24:00', ...env });
  const app = await buildApp(config, { store });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    baseUrl,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BrowserSuite {
  /** this file's browser */
  readonly browser: Browser;
  /** this file's app, listening on loopback */
  readonly server: ListeningApp;
  /** a new browser context, closed after the test; steps time out after the suite's timeout */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * One browser and one listening app for a test file, registered as its hooks: every test is skipped
 * (loudly) without a browser, or fails in CI; contexts opened with `newContext` are closed after each test.
 * `prepare` runs once the app listens (e.g. to create agents).
 */
export function browserSuite(options: { env?: Record<string, string>; timeoutMs?: number; prepare?: (server: ListeningApp) => Promise<void> } = {}): BrowserSuite {
  let browser: Browser | undefined;
  let server: ListeningApp | undefined;
  let open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    if (!browser) return;
    server = await startListeningApp(options.env);
    await options.prepare?.(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach((test) => {
    if (!browser) test.skip();
  });
  afterEach(async () => {
    await Promise.all(open.map((context) => context.close()));
    open = [];
  });
  return {
    get browser() {
      return browser!;
    },
    get server() {
      return server!;
    },
    async newContext(contextOptions) {
      const context = await browser!.newContext(contextOptions);
      context.setDefaultTimeout(options.timeoutMs ?? 15_000);
      open.push(context);
      return context;
    },
  };
}
