// The agent console in real Chromium: log in, a conversation escalated by the bot appears in the queue live,
// claim it, read the whole transcript, reply, note, insert a KB answer, resolve; customer text that looks like
// HTML stays text and runs nothing.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite, seriousAxeViolations } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const XSS = '<img src=x onerror=alert(1)>';
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS; // a directory: set it to look at the console

const suite = browserSuite({
  timeoutMs: 10_000,
  async prepare(server) {
    await ensureConsoleBundle();
    await server.app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: await hashPassword('anna-password'), role: 'agent' });
  },
});
let context: BrowserContext;

beforeEach(async () => {
  // bypassCSP: the console's CSP would also stop an injected script, but the test is that customer text is never
  // parsed as HTML at all, so it runs without that second wall (and lets axe-core be injected)
  context = await suite.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB', bypassCSP: true });
});

/** Every alert/prompt a page opens (a script from customer text would open one); confirms are answered yes. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog: Dialog) => {
    if (dialog.type() === 'confirm') return void dialog.accept();
    opened.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return opened;
}

async function logIn(page: Page) {
  await page.goto(`${suite.server.baseUrl}/agent`);
  expect(new URL(page.url()).pathname).toBe('/agent/login');
  await page.getByLabel('Login').fill('anna');
  await page.getByLabel('Password').fill('anna-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${suite.server.baseUrl}/agent`);
  await page.locator('body[data-live="true"]').waitFor();
}

/** What the bot leaves behind when it hands over: the customer's words, its answer with an article, "No", the handoff. */
async function escalatedByTheBot(customerText: string) {
  const app = suite.server.app;
  const customerId = await app.repos.customers.findOrCreate([{ kind: 'web', value: `visitor-${Date.now()}` }, { kind: 'email', value: 'kim@example.org' }], 'Kim Meyer');
  const conversation = await app.repos.conversations.create({ customerId, channel: 'web', locale: 'en' });
  await app.transcript.append(conversation.id, { author: 'customer', text: customerText });
  await app.transcript.append(conversation.id, {
    author: 'bot',
    text: 'This article might help:',
    payload: { decision: 'answer', articles: [{ id: 'delivery-times', title: 'How long does delivery take?', summary: '2 to 4 days', url: `${suite.server.baseUrl}/help/en/delivery-times` }] },
  });
  await app.transcript.append(conversation.id, { author: 'customer', text: 'No', payload: { action: 'feedback:no' } });
  await app.handoff.escalate({ conversationId: conversation.id, channel: 'web', locale: 'en' }, 'not_helpful', {
    offeredArticleIds: ['delivery-times'],
    feedback: [{ articleId: 'delivery-times', helpful: false }],
  });
  return conversation.id;
}

describe('the agent console', () => {
  it('logs in, shows a new conversation live, claims it, shows the transcript, replies, and keeps customer HTML as text', async () => {
    const page = await context.newPage();
    const dialogs = watchDialogs(page);
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await logIn(page);
    await page.getByText('Nobody is waiting.').waitFor();

    // the bot hands over while the console is open: the queue updates without a reload
    const conversationId = await escalatedByTheBot(XSS);
    const item = page.locator(`.queue-item[data-id="${conversationId}"]`);
    await item.waitFor();
    expect(await item.locator('.customer-name').textContent()).toBe('Kim Meyer');
    expect(await item.locator('.first-question').textContent()).toBe(XSS);
    expect(await item.locator('.reason').textContent()).toBe('Answer did not help');

    await item.click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();

    // the whole transcript: the customer's words as text, the bot's turn with its article, the feedback, the escalation
    const transcript = page.locator('#transcript');
    const customerMessage = transcript.locator('.message.author-customer').first();
    expect(await customerMessage.locator('.text').textContent()).toBe(XSS);
    expect(await page.locator('#transcript img, .queue-list img').count()).toBe(0);
    const botTurn = transcript.locator('.message.author-bot');
    expect(await botTurn.locator('.who').textContent()).toBe('Bot');
    expect(await botTurn.locator('.articles a').textContent()).toBe('How long does delivery take?');
    expect(await transcript.locator('.message.author-customer', { hasText: 'No' }).locator('.tags').textContent()).toContain('said it did not help');
    expect(await page.locator('#escalation').textContent()).toContain('Handed over: Answer did not help');
    expect(await page.locator('#escalation').textContent()).toContain('did not help');
    expect(await page.locator('#customer').textContent()).toContain('kim@example.org');

    // reply with Enter; Shift+Enter makes a new line
    const composer = page.getByLabel('Reply');
    await composer.fill('Hi Kim,');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('your parcel left our warehouse today.');
    await composer.press('Enter');
    await transcript.locator('.message.author-agent', { hasText: 'your parcel left' }).waitFor();
    const stored = (await suite.server.app.repos.conversations.messages(conversationId)).filter((m) => m.author === 'agent');
    expect(stored.map((m) => m.text)).toEqual(['Hi Kim,\nyour parcel left our warehouse today.']);
    expect(await composer.inputValue()).toBe('');

    // the customer answers: it appears live, and still as text
    await suite.server.app.transcript.append(conversationId, { author: 'customer', text: `Thanks! ${XSS} <script>alert(2)</script>` });
    await transcript.locator('.message.author-customer', { hasText: 'Thanks!' }).waitFor();
    expect(await page.locator('#transcript img, #transcript script').count()).toBe(0);

    // an internal note
    await page.getByRole('button', { name: 'Internal note' }).click();
    await page.getByLabel('Internal note').fill('Customer asked twice; check the carrier.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await transcript.locator('.message.internal', { hasText: 'check the carrier' }).waitFor();
    expect((await suite.server.app.repos.conversations.messages(conversationId)).some((m) => m.text.includes('check the carrier'))).toBe(false);

    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'console-transcript.png') });

    // a KB answer inserted into the reply
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.locator('.kb-panel summary').click();
    await page.getByLabel('Search the knowledge base').fill('How much does shipping cost?');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#kb-results li').first().waitFor();
    await page.locator('#kb-results .insert').first().click();
    expect(await page.getByLabel('Reply').inputValue()).toMatch(new RegExp(`${suite.server.baseUrl.replace(/[.:/]/g, '\\$&')}/help/`));

    expect(await seriousAxeViolations(page)).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'console.png') });

    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('#conversation-status', { hasText: 'Resolved' }).waitFor();
    expect((await suite.server.app.repos.conversations.get(conversationId))?.status).toBe('resolved');

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a second agent sees who claimed first', async () => {
    await suite.server.app.agents.create({ login: 'ben', displayName: 'Ben', passwordHash: await hashPassword('ben-password'), role: 'agent' });
    const page = await context.newPage();
    watchDialogs(page);
    await logIn(page);
    const conversationId = await escalatedByTheBot('Where is my refund?');
    await page.locator(`.queue-item[data-id="${conversationId}"]`).click();
    await page.getByRole('button', { name: 'Claim' }).waitFor();
    // Ben is quicker, through the API, while Anna looks at the conversation
    await suite.server.app.handoff.claim(conversationId, (await suite.server.app.agents.findByLogin('ben'))!);
    await page.locator('#conversation-status', { hasText: 'Assigned to Ben' }).waitFor();
    expect(await page.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    await page.locator(`.queue-item[data-id="${conversationId}"] .holder`, { hasText: 'with Ben' }).waitFor();
  });

  it('shows the contact details a customer typed as unverified, apart from the verified identities', async () => {
    const app = suite.server.app;
    // Alice is a customer with her e-mail on record; a stranger types it into a new chat
    await app.repos.customers.findOrCreate([{ kind: 'web', value: `alice-${Date.now()}` }, { kind: 'email', value: 'alice@example.com' }], 'Alice');
    const started = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', customer: { name: 'Alice', email: 'alice@example.com' } } });
    const { conversationId, token } = started.json();
    await app.inject({ method: 'POST', url: `/api/chat/conversations/${conversationId}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { action: 'handoff' } });

    const page = await context.newPage();
    watchDialogs(page);
    await logIn(page);
    const item = page.locator(`.queue-item[data-id="${conversationId}"]`);
    expect(await item.locator('.customer-name').textContent()).toBe('Alice (unverified)');
    await item.click();
    const claims = page.locator('#claims');
    await claims.waitFor();
    expect(await page.locator('#customer h3').first().textContent()).toBe('Given in this chat (unverified)');
    expect(await claims.locator('dd').allTextContents()).toEqual(['Alice (unverified)', 'alice@example.com (unverified)']);
    expect(await page.locator('#customer .identities:not(.claims)').textContent()).not.toContain('alice@example.com');
    expect(await page.locator('#history li').count()).toBe(0);
  });
});
