// Typing indicators both ways, in real Chromium: the customer typing in the widget shows in the agent's
// console for that conversation, and the assigned agent typing a reply shows in the widget.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const suite = browserSuite({
  async prepare(server) {
    await ensureConsoleBundle();
    await server.app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: await hashPassword('anna-password'), role: 'agent' });
  },
});
let customerContext: BrowserContext;
let agentContext: BrowserContext;

beforeEach(async () => {
  customerContext = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
  agentContext = await suite.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
});

async function send(widget: Locator, text: string) {
  const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
  await input.fill(text);
  await input.press('Enter');
}

describe('typing indicators', { timeout: 60_000 }, () => {
  it("the agent sees the customer typing, and the customer sees the agent typing a reply", async () => {
    const console_ = await agentContext.newPage();
    await console_.goto(`${suite.server.baseUrl}/agent/login`);
    await console_.getByLabel('Login').fill('anna');
    await console_.getByLabel('Password').fill('anna-password');
    await console_.getByRole('button', { name: 'Log in' }).click();
    await console_.locator('body[data-live="true"]').waitFor();

    const shop = await customerContext.newPage();
    await shop.goto(`${suite.server.baseUrl}/`);
    const widget = shop.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.locator('.msg.bot').first().waitFor();
    await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await widget.locator('.msg.system', { hasText: /Position \d+ der Warteschlange/ }).waitFor();

    await console_.locator('.queue-item').first().click();
    await console_.getByRole('button', { name: 'Claim' }).click();
    await console_.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();
    await widget.locator('.subtitle', { hasText: 'Sie chatten mit' }).waitFor();

    const indicator = console_.locator('#typing-indicator');
    expect(await indicator.textContent()).toBe('');
    await widget.getByRole('textbox', { name: 'Ihre Nachricht' }).pressSequentially('Meine Bestell', { delay: 20 });
    await console_.locator('#typing-indicator', { hasText: 'The customer is typing…' }).waitFor();
    // the customer's message replaces the hint
    await widget.getByRole('textbox', { name: 'Ihre Nachricht' }).press('Enter');
    await console_.locator('.message', { hasText: 'Meine Bestell' }).first().waitFor();
    await expect.poll(() => indicator.textContent()).toBe('');

    const dots = widget.locator('.typing');
    expect(await dots.isVisible()).toBe(false);
    await console_.locator('#composer-text').pressSequentially('Einen Moment', { delay: 20 });
    await dots.waitFor();
    expect(await dots.textContent()).toBe('Anna schreibt');
    // gone a few seconds after the agent stopped
    await dots.waitFor({ state: 'hidden', timeout: 10_000 });
  });
});
