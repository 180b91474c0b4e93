// The whole handoff in real Chromium, two people at two browsers: a customer in the widget asks for a person,
// the conversation appears live in the agent's console, the agent claims it and sees what the bot said,
// they write to each other, the agent resolves and the customer is asked for a rating.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const suite = browserSuite({
  timeoutMs: 10_000,
  async prepare(server) {
    await ensureConsoleBundle();
    await suite.server.app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: await hashPassword('anna-password'), role: 'agent' });
  },
});
let customerContext: BrowserContext;
let agentContext: BrowserContext;

beforeEach(async () => {
  customerContext = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
  agentContext = await suite.newContext({ viewport: { width: 1400, height: 900 }, locale: 'de-DE' });
});

async function send(widget: Locator, text: string) {
  const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
  await input.fill(text);
  await input.press('Enter');
}

function failOnErrors(page: Page, errors: string[]) {
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm') return void dialog.accept();
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

describe('from the widget to the console and back', () => {
  it('customer asks for a person, the agent claims, they talk, the agent resolves, the customer is asked for a rating', async () => {
    const errors: string[] = [];

    // the agent is logged in and watching the queue
    const console_ = await agentContext.newPage();
    failOnErrors(console_, errors);
    await console_.goto(`${suite.server.baseUrl}/agent/login`);
    await console_.getByLabel('Login').fill('anna');
    await console_.getByLabel('Password').fill('anna-password');
    await console_.getByRole('button', { name: 'Log in' }).click();
    await console_.locator('body[data-live="true"]').waitFor();

    // the customer asks a question the bot answers, says it did not help... and asks for a person
    const shop = await customerContext.newPage();
    failOnErrors(shop, errors);
    await shop.goto(`${suite.server.baseUrl}/`);
    const widget = shop.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.locator('.msg.bot').first().waitFor();
    await send(widget, 'Wie lange dauert die Lieferung?');
    await widget.locator('.msg.bot', { hasText: /Artikel|Meinten Sie/ }).waitFor();
    await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await widget.locator('.msg.system', { hasText: /Position \d+ der Warteschlange/ }).waitFor();

    // it appears in the console without a reload
    const item = console_.locator('.queue-item', { hasText: 'Wie lange dauert die Lieferung?' });
    await item.waitFor();
    expect(await item.locator('.reason').textContent()).toBe('Asked for a person');
    // a customer who gave no name or contact is a short visitor number, not a raw id
    expect(await item.locator('.customer-name').textContent()).toMatch(/^Web visitor [0-9a-f]{8}$/);
    await item.click();
    await console_.getByRole('button', { name: 'Claim' }).click();
    await console_.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();

    // the full transcript, the bot's answer included
    const transcript = console_.locator('#transcript');
    await transcript.locator('.message.author-customer', { hasText: 'Wie lange dauert die Lieferung?' }).waitFor();
    expect(await transcript.locator('.message.author-bot').count()).toBeGreaterThan(0);
    expect(await transcript.locator('.message.author-bot .articles a, .message.author-bot .tags').count()).toBeGreaterThan(0);
    await widget.locator('.msg.system', { hasText: 'Anna ist jetzt für Sie da.' }).waitFor();

    // the agent's reply shows in the widget, with her name
    const reply = console_.getByLabel('Reply');
    await reply.fill('Hallo, hier ist Anna. Wohin soll die Lieferung gehen?');
    await reply.press('Enter');
    const agentMessage = widget.locator('.msg.agent', { hasText: 'Wohin soll die Lieferung gehen?' });
    await agentMessage.waitFor();
    expect(await agentMessage.locator('.who').textContent()).toBe('Anna');

    // the customer's answer shows in the console (and the bot stays quiet)
    await send(widget, 'Nach Österreich, bitte.');
    await transcript.locator('.message.author-customer', { hasText: 'Nach Österreich, bitte.' }).waitFor();
    const conversationId = await console_.evaluate(() => decodeURIComponent(location.hash.slice(3)));
    const stored = await suite.server.app.repos.conversations.messages(conversationId, { includeInternal: true });
    const handedOverAt = stored.find((m) => m.payload?.escalation)!.seq;
    // after the hand-over record only the bot's hand-over sentence itself (worded from the handoff's outcome), nothing more
    expect(stored.filter((m) => m.author === 'bot' && m.seq > handedOverAt).map((m) => m.payload?.decision)).toEqual(['escalate']);

    // resolve: the widget asks for a rating
    await console_.getByRole('button', { name: 'Resolve' }).click();
    await console_.locator('#conversation-status', { hasText: 'Resolved' }).waitFor();
    await widget.getByRole('form', { name: 'Wie zufrieden waren Sie?' }).waitFor();
    expect((await suite.server.app.repos.conversations.get(conversationId))?.status).toBe('resolved');
    // and the conversation left the queue
    await expect.poll(() => console_.locator(`.queue-item[data-id="${conversationId}"]`).count()).toBe(0);

    expect(errors).toEqual([]);
  });
});
