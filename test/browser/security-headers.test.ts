// The Content-Security-Policy of each page kind, in real Chromium: every page still works under its policy
// (no violation reported): the demo shop with its chat widget, the help center, and the API docs (swagger-ui).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite } from '../helpers/browser.js';

const suite = browserSuite({ timeoutMs: 15_000 });

/** Console messages in which Chromium reports a CSP violation. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('pages under their Content-Security-Policy', () => {
  it('the demo page shows the chat widget, which opens and answers', async () => {
    const page = await (await suite.newContext({ locale: 'de-DE' })).newPage();
    const violations = cspViolations(page);
    await page.goto(`${suite.server.baseUrl}/`);
    const widget = page.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.getByRole('textbox', { name: 'Ihre Nachricht' }).fill('Wo ist mein Paket?');
    await widget.getByRole('textbox', { name: 'Ihre Nachricht' }).press('Enter');
    await widget.locator('.log .msg').nth(2).waitFor();
    expect(violations).toEqual([]);
  });

  it('the help center is styled', async () => {
    const page = await (await suite.newContext({ locale: 'de-DE' })).newPage();
    const violations = cspViolations(page);
    await page.goto(`${suite.server.baseUrl}/help?lang=de`);
    // help.css applied: the skip link is moved off-screen until focused
    const skipLinkTop = await page.locator('.skip-link').evaluate((el) => getComputedStyle(el).position);
    expect(skipLinkTop).not.toBe('static');
    expect(violations).toEqual([]);
  });

  it('/docs (swagger-ui) renders the operations', async () => {
    const page = await (await suite.newContext()).newPage();
    const violations = cspViolations(page);
    await page.goto(`${suite.server.baseUrl}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
    expect(violations).toEqual([]);
  });
});
