// The widget's finer points in real Chromium: an answer card expands to the whole article inside the
// card, messages carry their time, and after a resolve the earlier conversation stays visible above the new one.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { addAgent, keepOnline } from '../helpers/agents.js';
import { browserSuite } from '../helpers/browser.js';
import type { Agent } from '../../server/store/schema.js';

let anna: Agent;
const suite = browserSuite({
  async prepare(server) {
    anna = await addAgent(server.app, 'anna', 'Anna');
    keepOnline(server.app, anna.id);
  },
});
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
});

async function openWidget(): Promise<{ page: Page; widget: Locator }> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${suite.server.baseUrl}/`);
  const widget = page.locator('[data-supportdesk]');
  await widget.getByRole('button', { name: 'Chat öffnen' }).click();
  await widget.locator('.msg.bot').first().waitFor();
  return { page, widget };
}

async function send(widget: Locator, text: string): Promise<void> {
  const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
  await input.fill(text);
  await input.press('Enter');
}

/** Asks a question the sample KB answers with its delivery-times article; picks the chip should the bot ask "did you mean". */
async function cardFor(widget: Locator): Promise<Locator> {
  await send(widget, 'Wie lange ist die Lieferzeit nach Österreich?');
  const card = widget.locator('.card', { hasText: 'Wie lange dauert die Lieferung?' }).first();
  const chip = widget.getByRole('button', { name: 'Wie lange dauert die Lieferung?' });
  await card.or(chip).first().waitFor();
  if (!(await card.isVisible())) await chip.click();
  await card.waitFor();
  return card;
}

describe('the widget: article cards, times, earlier conversations', { timeout: 60_000 }, () => {
  it('expands an answer card to the full article, rendered inside the card, with links opening in a new tab', async () => {
    const { widget } = await openWidget();
    const card = await cardFor(widget);
    // the summary does not name the carrier or the cut-off time; the body does
    expect(await card.innerText()).not.toContain('Österreichische Post');
    const more = card.getByRole('button', { name: /Mehr lesen/ });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    const body = card.locator('.article');
    await body.getByText('14:00 Uhr', { exact: false }).waitFor();
    expect(await body.locator('table').innerText()).toContain('Österreichische Post');
    expect(await body.locator('h2').first().innerText()).toBe('Wann dauert es länger?');
    const toggle = card.getByRole('button', { name: /Weniger anzeigen/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    for (const target of await body.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('target')))) expect(target).toBe('_blank');
    await toggle.click();
    expect(await body.isVisible()).toBe(false);
  });

  it('the article endpoint may be read from another origin (the widget runs on other sites)', async () => {
    const response = await fetch(`${suite.server.baseUrl}/api/articles/delivery-times?locale=de`, { headers: { origin: 'https://shop.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
