// The agent console in real Chromium on an SMS conversation: each message sent to the customer shows its
// delivery state, a failure its reason, and a state that changes later updates the open transcript live.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const suite = browserSuite({
  timeoutMs: 10_000,
  env: { OPENING_HOURS: 'mon-sun 00:00-24:00' },
  async prepare(server) {
    await ensureConsoleBundle();
    await server.app.agents.create({ login: 'ben', displayName: 'Ben', passwordHash: await hashPassword('ben-password'), role: 'agent' });
  },
});
let context: BrowserContext;
beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
});

describe('delivery states in the console', () => {
  it('shows "failed" with the reason, and a later "sent" without a reload', async () => {
    const app = suite.server.app;
    const phone = '+4915112345678';
    const customerId = await app.repos.customers.findOrCreate([{ kind: 'phone', value: phone }]);
    const conversation = await app.repos.conversations.create({ customerId, channel: 'sms', locale: 'de', channelAddress: phone });
    await app.transcript.append(conversation.id, { author: 'customer', text: 'MENSCH' });
    await app.handoff.escalate({ conversationId: conversation.id, channel: 'sms', locale: 'de' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    const ben = (await app.agents.findByLogin('ben'))!;
    await app.handoff.claim(conversation.id, ben);
    const first = await app.handoff.reply(conversation.id, ben, 'Erste Antwort');
    const second = await app.handoff.reply(conversation.id, ben, 'Zweite Antwort');
    // what the SMS sender leaves: the first refused for good, the second still waiting
    const failing = await app.outbox.repo.enqueue({ messageId: first.id, conversationId: conversation.id, channel: 'sms', recipient: phone, body: first.text });
    await app.outbox.repo.claim(['sms'], 10, 60_000);
    await app.outbox.repo.markFailed(failing, 'Twilio 21211: not a valid phone number');
    const waiting = await app.outbox.repo.enqueue({ messageId: second.id, conversationId: conversation.id, channel: 'sms', recipient: phone, body: second.text });

    const page = await context.newPage();
    await page.goto(`${suite.server.baseUrl}/agent`);
    await page.getByLabel('Login').fill('ben');
    await page.getByLabel('Password').fill('ben-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${suite.server.baseUrl}/agent`);
    await page.locator('body[data-live="true"]').waitFor();
    await page.locator(`.queue-item[data-id="${conversation.id}"]`).click();

    const firstTags = page.locator('.message.author-agent', { hasText: 'Erste Antwort' }).locator('.tags');
    await firstTags.waitFor();
    expect(await firstTags.textContent()).toContain('delivery: failed (Twilio 21211: not a valid phone number)');
    const secondTags = page.locator('.message.author-agent', { hasText: 'Zweite Antwort' }).locator('.tags');
    expect(await secondTags.textContent()).toContain('delivery: queued');

    // the sender gets the second one out: the open transcript follows
    const [claimed] = await app.outbox.repo.claim(['sms'], 10, 60_000);
    expect(claimed.id).toBe(waiting.id);
    await app.outbox.repo.markSent(claimed, 'SM0000000000000000000000000000000a');
    await page.locator('.message.author-agent', { hasText: 'Zweite Antwort' }).locator('.tags', { hasText: 'delivery: sent' }).waitFor();
  });
});
