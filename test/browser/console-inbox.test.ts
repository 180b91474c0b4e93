// The agent's daily tools in real Chromium: inbox views and search, unread markers with the count in the tab
// title, keyboard shortcuts, transfer between two agents (the receiving console updates live), a canned reply
// with a placeholder, a resolved conversation's rating appearing live, the console in German, and the layout
// at 1440×900 and 375 px (screenshots to /work/wt/notes/screens or CONSOLE_SCREENSHOTS when that folder exists).
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite, seriousAxeViolations } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const SCREENS = process.env.CONSOLE_SCREENSHOTS; // a directory: set it to look at the inbox
const XSS = '<img src=x onerror=alert(1)>';

const suite = browserSuite({
  timeoutMs: 10_000,
  async prepare(server) {
    await ensureConsoleBundle();
    for (const [login, name, role] of [['anna', 'Anna', 'agent'], ['ben', 'Ben', 'agent'], ['ada', 'Ada', 'admin']] as const) {
      await server.app.agents.create({ login, displayName: name, passwordHash: await hashPassword(`${login}-password`), role });
    }
  },
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`error: ${error.message}`));
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm') return void dialog.accept();
    problems.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}

async function consoleOf(login: string, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await suite.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${suite.server.baseUrl}/agent/login`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(`${login}-password`);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${suite.server.baseUrl}/agent`);
  await page.locator('body[data-live="true"]').waitFor();
  return { page, context, problems };
}

/** A web conversation the bot handed over, as a customer leaves it: their words, what they typed about themselves, the page. */
async function waitingCustomer(options: { text: string; name?: string; email?: string; pageUrl?: string; offered?: boolean }) {
  const app = suite.server.app;
  const started = await app.inject({
    method: 'POST',
    url: '/api/chat/conversations',
    payload: { locale: 'en', ...(options.pageUrl ? { pageUrl: options.pageUrl } : {}), ...(options.name || options.email ? { customer: { ...(options.name ? { name: options.name } : {}), ...(options.email ? { email: options.email } : {}) } } : {}) },
  });
  const { conversationId, token } = started.json();
  const headers = { authorization: `Bearer ${token}` };
  await app.inject({ method: 'POST', url: `/api/chat/conversations/${conversationId}/messages`, headers, payload: { text: options.text } });
  if (!(await app.handoff.isWithHuman(conversationId))) await app.inject({ method: 'POST', url: `/api/chat/conversations/${conversationId}/messages`, headers, payload: { action: 'handoff' } });
  return { conversationId, token, headers };
}

const agent = async (login: string) => (await suite.server.app.agents.findByLogin(login))!;

async function screenshot(page: Page, name: string) {
  if (!SCREENS) return;
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, name) });
}

describe('the agent inbox', () => {
  it('views and search find conversations; unread markers and the title count follow what the agent has seen', async () => {
    const { page, problems } = await consoleOf('anna');
    const parcel = await waitingCustomer({ text: 'My parcel never came, order 4711', name: 'Kim Meyer' });
    const invoice = await waitingCustomer({ text: `Invoice question ${XSS}`, email: 'lena@example.org' });
    const line = (id: string) => page.locator(`.queue-item[data-id="${id}"]`);
    await line(parcel.conversationId).waitFor();
    await line(invoice.conversationId).waitFor();

    // two waiting customers nobody has looked at: both unread, and the tab title counts them
    await expect.poll(() => page.title()).toMatch(/^\(2\) Agent console/);
    expect(await line(parcel.conversationId).getAttribute('class')).toContain('unread');
    expect(await page.locator('#queue-list img').count()).toBe(0);

    // opening one reads it; a new customer message elsewhere makes that one unread again
    await line(parcel.conversationId).click();
    await page.locator('#transcript .message.author-customer', { hasText: 'order 4711' }).waitFor();
    await expect.poll(() => page.title()).toMatch(/^\(1\) Agent console/);
    expect(await line(parcel.conversationId).getAttribute('class')).not.toContain('unread');

    // search: by text, by a typed contact; nothing for a stranger
    const search = page.getByLabel('Search conversations');
    await search.fill('4711');
    await expect.poll(() => page.locator('.queue-item').count()).toBe(1);
    expect(await page.locator('.queue-item').getAttribute('data-id')).toBe(parcel.conversationId);
    await search.fill('lena@example');
    await expect.poll(() => page.locator('.queue-item').first().getAttribute('data-id')).toBe(invoice.conversationId);
    await search.fill('nobody-like-this');
    await page.getByText('No conversation matches.').waitFor();
    await search.fill('');
    await expect.poll(() => page.locator('.queue-item').count()).toBe(2);

    // claim the open one with the keyboard (Escape leaves the search field): it moves to "Mine"; resolve it; it is under "Resolved"
    await search.press('Escape');
    await page.keyboard.press('c');
    await page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();
    await page.getByRole('tab', { name: /^Mine/ }).click();
    await expect.poll(() => page.locator('.queue-item').count()).toBe(1);
    await page.keyboard.press('e');
    await page.locator('#conversation-status', { hasText: 'Resolved' }).waitFor();
    await expect.poll(() => page.locator('.queue-item').count()).toBe(0);
    await page.getByRole('tab', { name: 'Resolved' }).click();
    await line(parcel.conversationId).waitFor();

    // the customer rates it: the open (resolved) conversation and its line show the stars without a reload
    await page.locator('#closed-note', { hasText: 'not rated yet' }).waitFor();
    const rated = await suite.server.app.inject({ method: 'POST', url: `/api/chat/conversations/${parcel.conversationId}/rating`, headers: parcel.headers, payload: { stars: 4, comment: 'quick help' } });
    expect(rated.statusCode).toBe(204);
    await page.locator('#closed-note', { hasText: 'rated 4/5: “quick help”' }).waitFor();
    await line(parcel.conversationId).locator('.holder', { hasText: 'rated 4/5' }).waitFor();
    expect(await page.locator('#transcript .message').count()).toBeGreaterThan(1); // still readable

    // a new message in the other conversation while the agent looks elsewhere: unread again, counted in the title
    await page.getByRole('tab', { name: /^All open/ }).click();
    await suite.server.app.transcript.append(invoice.conversationId, { author: 'customer', text: 'Hello? Anyone?' });
    await expect.poll(() => page.title()).toMatch(/^\(1\) Agent console/);

    // the shortcuts are listed on ?
    await page.keyboard.press('?');
    const list = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await list.waitFor();
    expect(await list.textContent()).toContain('Next conversation');
    expect(await list.textContent()).toContain('Focus the reply');
    await page.keyboard.press('Escape');
    // j opens the next conversation in the list, r puts the cursor in the reply box
    await page.keyboard.press('j');
    await page.locator('#conversation-title').waitFor();
    await page.keyboard.press('r');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-text');
    expect(problems).toEqual([]);
  });

  it('transfers a conversation between two agents with a note; the receiving console updates live', async () => {
    const anna = await consoleOf('anna');
    const ben = await consoleOf('ben');
    const { conversationId } = await waitingCustomer({ text: 'I want to cancel my order 815' });
    await anna.page.locator(`.queue-item[data-id="${conversationId}"]`).click();
    await anna.page.getByRole('button', { name: 'Claim' }).click();
    await anna.page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();

    // Ben's console has seen Anna's claim (so the conversation is no longer his to count), then he looks at his own
    await ben.page.getByRole('tab', { name: /^All open/ }).click();
    await ben.page.locator(`.queue-item[data-id="${conversationId}"]`, { hasText: 'with Anna' }).waitFor();
    await ben.page.getByRole('tab', { name: /^Mine/ }).click();
    await ben.page.getByText('No conversations here.').waitFor();
    const unreadBefore = Number(/^\((\d+)\)/.exec(await ben.page.title())?.[1] ?? 0);

    await anna.page.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = anna.page.getByRole('dialog', { name: 'Transfer the conversation' });
    await dialog.getByLabel('To').selectOption({ label: 'Ben' });
    await dialog.getByLabel('Note for your colleague').fill(`Order 815 is yours; ${XSS}`);
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await anna.page.locator('#conversation-status', { hasText: 'Assigned to Ben' }).waitFor();
    expect(await anna.page.locator('#send').isDisabled()).toBe(true);

    // Ben's console: the conversation arrives under "Mine", unread, with Anna's note in the transcript
    const line = ben.page.locator(`.queue-item[data-id="${conversationId}"]`);
    await line.waitFor();
    expect(await line.getAttribute('class')).toContain('unread');
    await expect.poll(() => ben.page.title()).toMatch(new RegExp(`^\\(${unreadBefore + 1}\\)`));
    await line.click();
    const note = ben.page.locator('#transcript .message.transfer');
    await note.waitFor();
    expect(await note.locator('.who').textContent()).toBe('Anna → Ben');
    expect(await note.locator('.text').textContent()).toBe(`Order 815 is yours; ${XSS}`);
    expect(await ben.page.locator('#transcript img').count()).toBe(0);
    await ben.page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();

    // Ben answers; the customer never saw the note but was told Ben is there
    await ben.page.getByLabel('Reply').fill('Hi, Ben here: cancelled.');
    await ben.page.getByLabel('Reply').press('Enter');
    await ben.page.locator('#transcript .message.author-agent', { hasText: 'cancelled' }).waitFor();
    const customerSees = await suite.server.app.repos.conversations.messages(conversationId);
    expect(customerSees.some((m) => m.text.includes('Order 815 is yours'))).toBe(false);
    expect(customerSees.some((m) => m.author === 'system' && m.text.includes('Ben'))).toBe(true);
    expect(anna.problems).toEqual([]);
    expect(ben.problems).toEqual([]);
  });

  it('a canned reply fills in the customer and agent names as text, next to the article card', async () => {
    const app = suite.server.app;
    const ada = await agent('ada');
    const { CannedReplyRepository } = await import('../../server/store/canned-replies.js');
    const canned = new CannedReplyRepository(app.store.db);
    await canned.create({ title: 'Greeting', body: 'Hello {{customer.name}}, this is {{agent.name}}. How can I help?', locale: 'en' }, ada.id);
    await canned.create({ title: 'Begrüßung', body: 'Hallo {{customer.name}}', locale: 'de' }, ada.id);

    const { page, problems } = await consoleOf('anna');
    const { conversationId } = await waitingCustomer({ text: 'question about my bill', name: `Sam ${XSS}` });
    await page.locator(`.queue-item[data-id="${conversationId}"]`).click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();

    // only the replies for the conversation's language are offered
    const choices = await page.getByLabel('Canned replies').locator('option').allTextContents();
    expect(choices).toEqual(['Canned reply…', 'Greeting']);
    await page.getByLabel('Canned replies').selectOption({ label: 'Greeting' });
    expect(await page.getByLabel('Reply').inputValue()).toBe(`Hello Sam ${XSS}, this is Anna. How can I help?`);
    await page.getByLabel('Reply').press('Enter');
    await page.locator('#transcript .message.author-agent', { hasText: 'this is Anna' }).waitFor();
    expect(await page.locator('#transcript img').count()).toBe(0);
    const stored = (await app.repos.conversations.messages(conversationId)).filter((m) => m.author === 'agent');
    expect(stored.at(-1)!.text).toBe(`Hello Sam ${XSS}, this is Anna. How can I help?`);
    expect(problems).toEqual([]);
  });

  it('speaks German when the agent chooses it, and remembers the choice', async () => {
    const { page, problems } = await consoleOf('ben');
    await page.getByLabel('Console language').selectOption('de');
    await page.getByRole('tab', { name: /^Meine/ }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByRole('button', { name: 'Abmelden' }).count()).toBe(1);
    expect(await page.getByLabel('Gespräche durchsuchen').count()).toBe(1);
    expect((await agent('ben')).locale).toBe('de');
    await page.reload();
    await page.getByRole('tab', { name: /^Alle offenen/ }).waitFor();
    await page.getByLabel('Sprache der Konsole').selectOption('en');
    await page.getByRole('tab', { name: /^All open/ }).waitFor();
    expect(problems).toEqual([]);
  });

  it('has room at 1440×900 and on a phone: a tall transcript, long e-mails inside their card, the customer panel complete', async () => {
    const longEmail = 'a.very.long.customer.address.that.goes.on.and.on@subdomain.of.an.example-company.example.org';
    const { page, problems } = await consoleOf('ada');
    const { conversationId } = await waitingCustomer({ text: 'Hello, I need help with an order I placed last week', email: longEmail, name: 'Robin', pageUrl: 'https://shop.example/checkout/payment' });
    const app = suite.server.app;
    // a customer known by a verified long e-mail address: the queue card is labelled with it
    const known = await app.repos.customers.findOrCreate([{ kind: 'web', value: `v-${Date.now()}` }, { kind: 'email', value: longEmail }]);
    const byEmail = await app.repos.conversations.create({ customerId: known, channel: 'web', locale: 'de' });
    await app.transcript.append(byEmail.id, { author: 'customer', text: 'Wo ist mein Paket?' });
    await app.handoff.escalate({ conversationId: byEmail.id, channel: 'web', locale: 'de' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    for (const text of ['It was order 9001.', 'The tracking page says it was delivered, but nothing is here.', 'Could you check with the carrier?']) {
      await app.transcript.append(conversationId, { author: 'customer', text });
    }
    const line = page.locator(`.queue-item[data-id="${conversationId}"]`);
    await line.click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();
    await page.locator(`.queue-item[data-id="${byEmail.id}"] .customer-name`, { hasText: longEmail }).waitFor();

    // the long address wraps inside its card instead of running out of it
    // (measured in one go in the page: the list re-renders on live updates)
    const spill = await page.evaluate((id) => {
      const card = document.querySelector(`.queue-item[data-id="${id}"]`)!;
      const pane = document.querySelector('.queue-pane')!;
      const edge = Math.min(card.getBoundingClientRect().right, pane.getBoundingClientRect().right);
      return Math.max(card.getBoundingClientRect().right, ...[...card.querySelectorAll('*')].map((inner) => inner.getBoundingClientRect().right)) - edge;
    }, byEmail.id);
    expect(spill).toBeLessThanOrEqual(0);
    // the transcript has the room: the hand-over box is folded, the KB closed
    const transcriptHeight = (await page.locator('#transcript').boundingBox())!.height;
    expect(transcriptHeight).toBeGreaterThan(450);
    expect(await page.locator('#escalation').getAttribute('open')).toBeNull();

    // what the customer told us: name and contact marked unverified, the page they wrote from, their identities
    const claims = await page.locator('#claims dd').allTextContents();
    expect(claims).toEqual(['Robin (unverified)', `${longEmail} (unverified)`]);
    expect(await page.locator('#page-url a').getAttribute('href')).toBe('https://shop.example/checkout/payment');
    expect(await page.locator('#identities dt').allTextContents()).toEqual(['Web visitor']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-1440.png');

    await page.getByRole('button', { name: 'Shortcuts' }).click();
    await screenshot(page, 'inbox-1440-shortcuts.png');
    await page.keyboard.press('Escape');

    const phone = await consoleOf('ada', { width: 375, height: 812 });
    await phone.page.goto(`${suite.server.baseUrl}/agent#c=${conversationId}`);
    await phone.page.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();
    await screenshot(phone.page, 'inbox-375.png');
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.page.locator('#conversation').scrollIntoViewIfNeeded();
    await screenshot(phone.page, 'inbox-375-conversation.png');
    expect(problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
