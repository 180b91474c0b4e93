// /insights in real Chromium: an editor sees the rendered charts, adds a gap wording to an article from the
// page; the markdown file gains that one line and nothing else, and the bot answers the wording with that
// article at once. Also saves screenshots at 1440×900 and 375 px wide (SCREENS_DIR, default /work/wt/notes/screens).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite } from '../helpers/browser.js';
import { tempDir } from '../helpers/services.js';
import { seedInsightsDemo } from '../helpers/insights-seed.js';

const kbDir = path.join(tempDir('insights-browser-'), 'kb');
fs.cpSync(path.resolve('kb-content'), kbDir, { recursive: true });
const SCREENS = process.env.SCREENS_DIR ?? '/work/wt/notes/screens';
const QUESTION = 'the postman keeps using my old street';

const suite = browserSuite({
  env: { KB_DIR: kbDir },
  timeoutMs: 20_000,
  async prepare(server) {
    await server.app.agents.create({ login: 'eddie', displayName: 'Eddie', passwordHash: await hashPassword('eddie-password'), role: 'editor' });
    await seedInsightsDemo(server.app.store.db, new Date());
  },
});

async function ask(text: string): Promise<string> {
  const base = suite.server.baseUrl;
  const opened = await (await fetch(`${base}/api/chat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'en' }) })).json();
  const reply = await fetch(`${base}/api/chat/conversations/${opened.conversationId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${opened.token}` }, body: JSON.stringify({ text }) });
  return reply.text();
}

describe('insights in the browser', { timeout: 120_000 }, () => {
  it('an editor sees the charts and adds a gap question to an article, which the bot then answers', async () => {
    const context = await suite.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${suite.server.baseUrl}/agent/login`);
    await page.getByLabel('Login').fill('eddie');
    await page.getByLabel('Password').fill('eddie-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${suite.server.baseUrl}/agent`);
    errors.length = 0; // the console page is not under test here
    page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
    await page.goto(`${suite.server.baseUrl}/insights`);

    // the charts are drawn: lines with a length, bars with a width
    const drawn = await page.evaluate(() => ({
      lines: [...document.querySelectorAll('svg.chart path.line')].filter((p) => (p as SVGPathElement).getTotalLength() > 50).length,
      bars: [...document.querySelectorAll('svg.chart rect')].filter((r) => r.getBoundingClientRect().width > 2 && r.getBoundingClientRect().height > 2).length,
    }));
    expect(drawn.lines).toBeGreaterThanOrEqual(4);
    expect(drawn.bars).toBeGreaterThanOrEqual(10);
    fs.mkdirSync(SCREENS, { recursive: true });
    const shot = await page.screenshot({ path: path.join(SCREENS, 'insights-1440.png'), fullPage: true });
    expect(shot.length).toBeGreaterThan(50_000);
    await page.screenshot({ path: path.join(SCREENS, 'insights-1440-top.png') });
    for (const section of ['decisions', 'gaps', 'articles']) await page.locator(`#${section}`).screenshot({ path: path.join(SCREENS, `insights-1440-${section}.png`) });
    const charts = await page.locator('#channels figure').first().screenshot();
    expect(charts.length).toBeGreaterThan(5_000);

    const before = await ask(QUESTION);
    expect(before).not.toContain('/help/articles/change-account-details');

    const file = path.join(kbDir, 'en/account/change-account-details.md');
    const original = fs.readFileSync(file, 'utf8');
    const gap = page.locator('li.gap', { has: page.locator(`q:text-is("${QUESTION}")`) }).first();
    await gap.getByLabel('to article').fill('change-account-details');
    await gap.getByRole('button', { name: 'Add as alternative question' }).click();
    await page.locator('p.notice').waitFor();
    expect(await page.locator('p.notice').textContent()).toContain(`Added “${QUESTION}” to en/account/change-account-details.md`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original.replace('  - Change my surname after getting married\n', `  - Change my surname after getting married\n  - "${QUESTION}"\n`));

    const after = await ask(QUESTION);
    expect(after).toContain('/help/articles/change-account-details');
    expect(errors).toEqual([]);
  });

  it('reads on a phone (375 px): nothing wider than the screen but the tables, which scroll', async () => {
    const context = await suite.newContext({ viewport: { width: 375, height: 812 }, locale: 'en-GB', deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${suite.server.baseUrl}/agent/login`);
    await page.getByLabel('Login').fill('eddie');
    await page.getByLabel('Password').fill('eddie-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${suite.server.baseUrl}/agent`);
    await page.goto(`${suite.server.baseUrl}/insights`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SCREENS, 'insights-375.png'), fullPage: true });
    await page.screenshot({ path: path.join(SCREENS, 'insights-375-top.png') });
    for (const section of ['decisions', 'gaps']) await page.locator(`#${section}`).screenshot({ path: path.join(SCREENS, `insights-375-${section}.png`) });
  });
});
