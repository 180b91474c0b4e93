// The customer's side of the human handoff in real Chromium: an agent's reply arrives live with the
// agent's name, resolve brings the rating, a later message starts a new conversation, and live updates
// survive a dropped socket (reconnect) and a network without WebSockets (polling).
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Agent } from '../../server/store/schema.js';
import { browserSuite, seriousAxeViolations } from '../helpers/browser.js';
import { keepOnline } from '../helpers/agents.js';

const QUEUE_POSITION = /Sie sind an Position \d+ der Warteschlange/;

let agent: Agent;
const suite = browserSuite({
  async prepare(server) {
    agent = (await suite.server.app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: 'not used: the test acts through the handoff service', role: 'agent' }))!;
    // Anna has the console open: customers queue for her
    await keepOnline(suite.server.app, agent.id);
  },
});
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
});

function widgetOf(page: Page): Locator {
  return page.locator('[data-supportdesk]');
}

/** Opens the demo page and the chat, and asks for a person: the conversation waits in the queue. */
async function customerInQueue(): Promise<{ page: Page; widget: Locator; conversationId: string }> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${suite.server.baseUrl}/`);
  const widget = widgetOf(page);
  await widget.getByRole('button', { name: 'Chat öffnen' }).click();
  await widget.locator('.msg.bot').first().waitFor();
  await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
  await widget.locator('.msg.system', { hasText: QUEUE_POSITION }).waitFor();
  return { page, widget, conversationId: (await saved(page)).conversationId };
}

async function send(widget: Locator, text: string): Promise<void> {
  const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
  await input.fill(text);
  await input.press('Enter');
}

/** The widget's saved conversation and visitor id, from the page's localStorage. */
function saved(page: Page): Promise<{ conversationId: string; token: string; visitorId: string }> {
  return page.evaluate(() => {
    const value = (prefix: string) => Object.entries(localStorage).find(([key]) => key.startsWith(prefix))?.[1] ?? 'null';
    return { ...JSON.parse(value('supportdesk:conversation:')), visitorId: value('supportdesk:visitor:') };
  });
}

describe('the widget during and after a handoff', { timeout: 60_000 }, () => {
  it("shows the agent's reply with the agent's name, passes the customer's answer on, and asks for a rating after resolve", async () => {
    const { page, widget, conversationId } = await customerInQueue();
    await suite.server.app.handoff.claim(conversationId, agent);
    await widget.locator('.msg.system', { hasText: 'Anna ist jetzt für Sie da.' }).waitFor();

    await suite.server.app.handoff.reply(conversationId, agent, 'Hallo, hier ist Anna. Ich sehe mir Ihre Bestellung an.');
    const agentMessage = widget.locator('.msg.agent').last();
    await agentMessage.waitFor();
    expect(await agentMessage.locator('.who').textContent()).toBe('Anna');
    expect(await agentMessage.locator('.bubble').textContent()).toBe('Hallo, hier ist Anna. Ich sehe mir Ihre Bestellung an.');
    expect(await widget.locator('.subtitle').textContent()).toBe('Sie chatten mit Anna');

    await send(widget, 'Danke, die Bestellnummer ist 4711.');
    await expect
      .poll(async () => (await suite.server.app.repos.conversations.messages(conversationId)).map((m) => `${m.author}: ${m.text}`).at(-1))
      .toBe('customer: Danke, die Bestellnummer ist 4711.');

    await suite.server.app.handoff.resolve(conversationId, agent);
    const rating = widget.getByRole('form', { name: 'Wie zufrieden waren Sie?' });
    await rating.waitFor();
    expect(await widget.locator('.subtitle').textContent()).toBe('Dieses Gespräch ist beendet');
    expect(await seriousAxeViolations(page, '[data-supportdesk]')).toEqual([]);

    await rating.getByRole('button', { name: 'Bewertung senden' }).click();
    expect(await rating.getByRole('alert').textContent()).toBe('Bitte wählen Sie 1 bis 5 Sterne.');
    await rating.locator('label', { hasText: '4 Sterne' }).click();
    expect(await rating.getByRole('radio', { name: '4 Sterne' }).isChecked()).toBe(true);
    await rating.getByLabel('Kommentar (optional)').fill('Schnell und freundlich');
    await rating.getByRole('button', { name: 'Bewertung senden' }).click();
    await widget.getByText('Vielen Dank für Ihre Bewertung!').waitFor();
    const stored = await suite.server.app.repos.conversations.get(conversationId);
    expect({ rating: stored?.rating, comment: stored?.rating_comment }).toEqual({ rating: 4, comment: 'Schnell und freundlich' });

    // rated once: a reload shows the closed conversation without asking again
    await page.reload();
    await widget.locator('.msg.agent').waitFor();
    expect(await widget.locator('.subtitle').textContent()).toBe('Dieses Gespräch ist beendet');
    expect(await widget.locator('form.rating').count()).toBe(0);
  });

  it('starts a new conversation for the same visitor when the customer writes after resolve', async () => {
    const { page, widget, conversationId } = await customerInQueue();
    const before = await saved(page);
    await suite.server.app.handoff.resolve(conversationId, agent);
    await widget.locator('form.rating').waitFor();

    await send(widget, 'Noch eine Frage: Wie lange ist die Lieferzeit nach Österreich?');
    await widget.locator('.msg.bot', { hasText: /Artikel|Meinten Sie/ }).waitFor();
    const after = await saved(page);
    expect(after.conversationId).not.toBe(before.conversationId);
    expect(after.visitorId).toBe(before.visitorId);
    // the new conversation: its greeting, then the question (the earlier one stays above it, read-only)
    const texts = await widget.locator('.log > .msg').allInnerTexts();
    expect(texts[0]).toContain('Hallo! Ich bin der virtuelle Assistent.');
    expect(texts[1]).toContain('Noch eine Frage: Wie lange ist die Lieferzeit nach Österreich?');
    expect(await widget.locator('form.rating').count()).toBe(0);
    const [first, second] = await Promise.all([suite.server.app.repos.conversations.get(before.conversationId), suite.server.app.repos.conversations.get(after.conversationId)]);
    expect(second?.customer_id).toBe(first?.customer_id);
  });

  it('reconnects after the socket drops and receives the reply it missed meanwhile', async () => {
    const { widget, conversationId } = await customerInQueue();
    await suite.server.app.handoff.claim(conversationId, agent);
    await widget.locator('.msg.system', { hasText: 'Anna ist jetzt für Sie da.' }).waitFor();

    for (const socket of suite.server.app.websocketServer.clients) socket.terminate();
    await suite.server.app.handoff.reply(conversationId, agent, 'Sind Sie noch da?');
    await widget.locator('.msg.agent', { hasText: 'Sind Sie noch da?' }).waitFor();
    expect(await widget.locator('.msg.agent').count()).toBe(1);
    expect(suite.server.app.websocketServer.clients.size).toBe(1);
  });

  it('falls back to polling when WebSockets are blocked, and counts unread replies on the launcher while closed', async () => {
    await context.addInitScript(() => {
      // a network that refuses WebSocket upgrades: every socket closes without ever opening
      (window as any).WebSocket = class {
        onopen: unknown = null;
        onmessage: unknown = null;
        onclose: ((event: { code: number }) => void) | null = null;
        readyState = 3;
        constructor() {
          setTimeout(() => this.onclose?.({ code: 1006 }), 20);
        }
        close() {}
        send() {}
      };
    });
    const { widget, conversationId } = await customerInQueue();
    await widget.getByRole('button', { name: 'Chat schließen' }).first().click();
    await widget.getByRole('dialog').waitFor({ state: 'hidden' });

    await suite.server.app.handoff.claim(conversationId, agent);
    await suite.server.app.handoff.reply(conversationId, agent, 'Hallo! Ich kümmere mich darum.');
    const launcher = widget.getByRole('button', { name: 'Chat öffnen (1 neue Nachricht)' });
    await launcher.waitFor({ timeout: 15_000 });
    expect(await widget.locator('.badge').textContent()).toBe('1');

    await launcher.click();
    expect(await widget.locator('.msg.agent .bubble').textContent()).toBe('Hallo! Ich kümmere mich darum.');
    expect(await widget.locator('.badge').isVisible()).toBe(false);
  });
});
