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
  it('greets with starter topics, the articles most asked about recently; pressing one shows that article', async () => {
    // history: customers' questions in the last 30 days mostly led to the payment-methods article, then to delivery times
    const analytics = suite.server.app.repos.analytics;
    for (const [articleId, times] of [['payment-methods', 4], ['delivery-times', 2]] as const) {
      for (let i = 0; i < times; i++) await analytics.recordSearch({ query: `frage ${i}`, locale: 'de', channel: 'web', decision: 'answer', topArticleId: articleId, score: 1 });
    }
    const paypal = suite.server.app.kb.article('payment-methods', 'de');
    expect(paypal, 'the sample KB has a German payment-methods article').toBeTruthy();
    const { widget } = await openWidget();
    const topics = widget.getByRole('group', { name: 'Schnellantworten' });
    const labels = await topics.getByRole('button').allTextContents();
    expect(labels.slice(0, 2)).toEqual([paypal!.title, 'Wie lange dauert die Lieferung?']);
    await topics.getByRole('button', { name: paypal!.title }).click();
    await widget.locator('.card', { hasText: paypal!.title }).waitFor();
  });

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

  it('shows each message with its time (HH:MM, the customer\'s clock) from when the server stored it', async () => {
    const { widget } = await openWidget();
    await send(widget, 'Hallo zusammen');
    const own = widget.locator('.log > .msg.customer', { hasText: 'Hallo zusammen' });
    await own.waitFor();
    const greeting = widget.locator('.log > .msg.bot').first();
    const stored = (await suite.server.app.repos.conversations.messages(await conversationOf(widget), { afterSeq: 0 }))[0]!;
    const expected = new Date(stored.createdAt).toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });
    expect(await greeting.locator('time').innerText()).toBe(expected);
    expect(await own.locator('time').innerText()).toMatch(/^\d{2}:\d{2}$/);
  });

  it('after a resolve, keeps the earlier conversation visible and read-only above the new one', async () => {
    const { page, widget } = await openWidget();
    await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await widget.locator('.msg.system', { hasText: /Position \d+ der Warteschlange/ }).waitFor();
    const before = await conversationOf(widget);
    await suite.server.app.handoff.resolve(before, anna);
    await widget.locator('form.rating').waitFor();

    await send(widget, 'Wie lange ist die Lieferzeit nach Österreich?');
    await widget.locator('.log > .msg.bot', { hasText: /Dieser Artikel|Meinten Sie/ }).first().waitFor();
    expect(await conversationOf(widget)).not.toBe(before);
    const earlier = widget.getByRole('group', { name: 'Früheres Gespräch' });
    expect(await earlier.locator('.divider').innerText()).toBe('Früheres Gespräch');
    expect(await earlier.innerText()).toContain('Ich möchte bitte mit einem Mitarbeiter sprechen');
    // nothing in it can be answered any more
    expect(await earlier.locator('.choices').count()).toBe(0);
    // above the new conversation, which starts with its own greeting
    const order = await widget.locator('.log > *').evaluateAll((children) => children.map((child) => child.className));
    expect(order[0]).toBe('earlier');
    expect(await widget.locator('.log > .msg').first().innerText()).toContain('Hallo! Ich bin der virtuelle Assistent.');
  });
});

async function conversationOf(widget: Locator): Promise<string> {
  return widget.page().evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith('supportdesk:conversation:'))![1]).conversationId);
}
