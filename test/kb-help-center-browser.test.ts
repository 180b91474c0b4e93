// The help center in real headless Chromium on the sample KB: accessibility (axe-core) of every page
// kind, the feedback form without JavaScript, the phone layout, and the chat offer opening the widget.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserSuite, seriousAxeViolations } from './helpers/browser.js';

const suite = browserSuite({ timeoutMs: 10_000 });
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
});

describe('help center in a browser', () => {
  it.each([
    ['start page', '/help?lang=de'],
    ['start page (en)', '/help?lang=en'],
    ['search results', `/help/search?lang=de&q=${encodeURIComponent('Wo ist mein Paket?')}`],
    ['no results', '/help/search?lang=en&q=xylophone'],
    ['article', '/help/articles/order-status?lang=de'],
    ['unknown article', '/help/articles/no-such-article?lang=de'],
  ])('the %s has no serious accessibility violations', async (_name, url) => {
    const page = await context.newPage();
    await page.goto(`${suite.server.baseUrl}${url}`);
    // the widget's own accessibility is its test's business: check the help center's markup
    expect(await seriousAxeViolations(page, 'body > :not([data-supportdesk])')).toEqual([]);
  });

  it('the search form finds an article and marks the searched word', async () => {
    const page = await context.newPage();
    await page.goto(`${suite.server.baseUrl}/help?lang=de`);
    await page.getByLabel('Hilfe-Artikel durchsuchen').fill('Überweisung');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/\/help\/search\?/);
    expect(await page.locator('.results mark').first().textContent()).toMatch(/überweisung/i);
  });

  it('the feedback form works with JavaScript switched off', async () => {
    const noScript = await suite.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    try {
      const page = await noScript.newPage();
      await page.goto(`${suite.server.baseUrl}/help/articles/order-status?lang=en`);
      await page.getByRole('button', { name: 'Yes' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Thank you for your feedback!' }).count()).toBe(1);
      const rows = await suite.server.app.store.db.selectFrom('feedback').selectAll().where('article_id', '=', 'order-status').execute();
      expect(rows).toContainEqual(expect.objectContaining({ locale: 'en', helpful: 1, channel: 'help-center' }));
    } finally {
      await noScript.close();
    }
  });

  it('on a phone the page does not scroll sideways', async () => {
    const phone = await suite.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const page = await phone.newPage();
      await page.goto(`${suite.server.baseUrl}/help/articles/order-status?lang=de`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await phone.close();
    }
  });

  it('"Start a chat" on the no-result page opens the chat widget in place', async () => {
    const page = await context.newPage();
    await page.goto(`${suite.server.baseUrl}/help/search?lang=en&q=xylophone`);
    await page.waitForFunction(() => typeof (window as any).SupportDesk?.open === 'function');
    const before = page.url();
    await page.locator('main').getByRole('link', { name: 'Start a chat' }).click();
    await expect.poll(() => page.locator('[data-supportdesk]').getByRole('dialog').count()).toBeGreaterThan(0);
    expect(page.url()).toBe(before);
  });
});
