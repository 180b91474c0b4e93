// The customer while waiting for a person, in real Chromium: the bot is not silent (each message is
// acknowledged once, a question the KB answers confidently still gets its article, marked as help while
// waiting, and the agent sees both), asking again says "already in the queue"; "No, that did not help"
// offers a rephrase and a person instead of handing over at once; small talk never fills the queue.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { browserSuite } from '../helpers/browser.js';
import { addAgent } from '../helpers/agents.js';
import type { Agent } from '../../server/store/schema.js';

let anna: Agent;
const suite = browserSuite({
  async prepare(server) {
    anna = await addAgent(server.app, 'anna', 'Anna', 'anna-password');
  },
});
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
});

async function openWidget(customer = context): Promise<{ page: Page; widget: Locator }> {
  const page = await customer.newPage();
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

async function conversationId(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith('supportdesk:conversation:'))![1]).conversationId);
}

describe('the customer while waiting for a person', { timeout: 60_000 }, () => {
  it('a queued customer is acknowledged, gets the KB article for a question it answers, and is told they are already in the queue', async () => {
    const console_ = await suite.server.app.presence.connected(anna.id); // Anna has the console open
    const { page, widget } = await openWidget();
    await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await widget.locator('.msg.system', { hasText: /Position 1 der Warteschlange/ }).waitFor();

    await send(widget, 'kann ich auch mit paypal zahlen');
    await widget.locator('.msg.system', { hasText: 'Ihre Nachricht liegt unserem Team vor' }).waitFor();
    const help = widget.locator('.msg.bot', { hasText: 'Während Sie warten' });
    await help.waitFor();
    expect(await help.locator('.card').first().textContent()).toMatch(/PayPal/i);

    await send(widget, 'I would like to speak to a human please');
    await widget.locator('.msg.system', { hasText: /bereits in der Warteschlange, an Position 1/ }).waitFor();
    // one acknowledgement per message: the request for a person got the queue reply, not a second ack
    expect(await widget.locator('.msg.system', { hasText: 'Ihre Nachricht liegt unserem Team vor' }).count()).toBe(1);

    // the agent sees both: the acknowledgement and the article, in the transcript the console shows
    const id = await conversationId(page);
    const messages = await suite.server.app.repos.conversations.messages(id);
    const afterQuestion = messages.slice(messages.findIndex((m) => m.text === 'kann ich auch mit paypal zahlen'));
    expect(afterQuestion.map((m) => m.author).slice(0, 3)).toEqual(['customer', 'system', 'bot']);
    expect(afterQuestion[2].payload).toMatchObject({ decision: 'answer_while_waiting', articles: [expect.objectContaining({ id: 'payment-methods' })] });
    expect((await suite.server.app.repos.conversations.get(id))?.status).toBe('queued');
    await suite.server.app.presence.disconnected(console_);
  });

  it('"No" after an answer offers a rephrase and a person; the hand-over waits until the customer picks the person', async () => {
    const { page, widget } = await openWidget();
    await send(widget, 'kann ich auch mit paypal zahlen');
    await widget.locator('.msg.bot .card').first().waitFor();
    await widget.getByRole('button', { name: 'Nein', exact: true }).click();
    await widget.locator('.msg.bot', { hasText: 'Schade, dass das nicht geholfen hat' }).waitFor();
    await widget.getByRole('button', { name: 'Anders formulieren' }).waitFor();
    const id = await conversationId(page);
    expect((await suite.server.app.repos.conversations.get(id))?.status).toBe('bot');

    await widget.getByRole('button', { name: 'Mit einem Mitarbeiter sprechen' }).click();
    // nobody has the console open: the customer is asked for a contact, and the conversation waits in the queue
    await widget.locator('.msg.system', { hasText: 'Hinterlassen Sie hier Ihre E-Mail-Adresse' }).waitFor();
    expect((await suite.server.app.repos.conversations.get(id))?.status).toBe('queued');
  });

  it("presence drives the hand-over: nobody online is the offline flow, an agent's open console gives a queue place and a wait, 'Away' in the console is offline again", async () => {
    const waiting = await suite.server.app.store.db.selectFrom('conversations').select('id').where('status', '=', 'queued').execute();
    const before = waiting.length;
    const first = await openWidget();
    await send(first.widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await first.widget.locator('.msg.system', { hasText: 'Hinterlassen Sie hier Ihre E-Mail-Adresse' }).waitFor();
    expect(await first.widget.locator('.msg', { hasText: /Position \d+ der Warteschlange|Kollegen weiter/ }).count()).toBe(0);

    // Anna logs in: her console makes her online
    const agentContext = await suite.newContext({ viewport: { width: 1440, height: 900 } });
    const console_ = await agentContext.newPage();
    await console_.goto(`${suite.server.baseUrl}/agent/login`);
    await console_.getByLabel('Login').fill('anna');
    await console_.getByLabel('Password').fill('anna-password');
    await console_.getByRole('button', { name: 'Log in' }).click();
    await console_.locator('body[data-live="true"]').waitFor();
    await expect.poll(() => suite.server.app.presence.onlineCount()).toBe(1);
    expect(await console_.getByLabel('Your status').inputValue()).toBe('online');

    // one agent online, the queue ahead shared by her alone: number N waits N times the usual 5 minutes
    const second = await openWidget(await suite.newContext({ locale: 'de-DE' }));
    await send(second.widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    const position = before + 2;
    await second.widget.locator('.msg.system', { hasText: `Sie sind an Position ${position} der Warteschlange. Die Wartezeit beträgt etwa ${position * 5} Minuten.` }).waitFor();

    // she sets herself away: the next customer gets the offline flow again
    await console_.getByLabel('Your status').selectOption('away');
    await expect.poll(() => suite.server.app.presence.stateOf(anna.id)).toBe('away');
    const third = await openWidget(await suite.newContext({ locale: 'de-DE' }));
    await send(third.widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await third.widget.locator('.msg.system', { hasText: 'Hinterlassen Sie hier Ihre E-Mail-Adresse' }).waitFor();

    // back online, then the console closes: offline
    await console_.getByLabel('Your status').selectOption('online');
    await expect.poll(() => suite.server.app.presence.onlineCount()).toBe(1);
    await console_.close();
    await expect.poll(() => suite.server.app.presence.stateOf(anna.id)).toBe('offline');
  });

  it('two off-topic questions in a row do not hand over; a person is offered as a button', async () => {
    const { page, widget } = await openWidget();
    await send(widget, 'who won the football game');
    await widget.locator('.msg.bot', { hasText: /other words|anderen Worten/ }).waitFor();
    await send(widget, 'and what about the weather tomorrow');
    await expect.poll(async () => widget.locator('.msg.bot', { hasText: /other words|anderen Worten/ }).count()).toBe(2);
    await widget.getByRole('button', { name: /Talk to a person|Mit einem Mitarbeiter sprechen/ }).waitFor();
    expect((await suite.server.app.repos.conversations.get(await conversationId(page)))?.status).toBe('bot');
  });
});
