// The widget when the chat server goes away and comes back, in real Chromium: the "not reachable" notice
// clears itself once the socket reconnects (no click on "try again"), and a message that failed while the
// server was away is sent again by itself, once, with its client message id: stored and shown once.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
import { browserSuite } from '../helpers/browser.js';

const suite = browserSuite();
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
});

describe('the widget reconnecting', { timeout: 60_000 }, () => {
  it('clears the "not reachable" notice when the socket is back, and resends an unsent message once', async () => {
    // the server "goes away": chat requests fail and the live socket is dropped and refused, until it "comes back"
    let serverDown = false;
    const sockets: WebSocketRoute[] = [];
    await context.routeWebSocket(/\/api\/chat\/conversations\/[^/]+\/stream/, (ws) => {
      if (serverDown) return void ws.close({ code: 1006 });
      sockets.push(ws);
      ws.connectToServer();
    });
    const page = await context.newPage();
    await page.route('**/api/chat/conversations/**', (route) => (serverDown ? route.abort('connectionrefused') : route.continue()));

    await page.goto(`${suite.server.baseUrl}/`);
    const widget = page.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.locator('.msg.bot').first().waitFor();
    await expect.poll(() => sockets.length).toBe(1);

    serverDown = true;
    await sockets[0].close({ code: 1006 });
    const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
    await input.fill('Ist da jemand?');
    await input.press('Enter');
    await widget.locator('.msg.customer.failed', { hasText: 'Ist da jemand?' }).waitFor();
    const notice = widget.locator('.notice', { hasText: 'Der Chat ist gerade nicht erreichbar.' });
    await notice.waitFor();

    serverDown = false;
    // no click on "try again": the reconnect clears the notice and sends the message by itself
    await notice.waitFor({ state: 'hidden', timeout: 40_000 });
    await widget.locator('.msg.customer:not(.failed):not(.pending)', { hasText: 'Ist da jemand?' }).waitFor({ timeout: 20_000 });
    const conversationId = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith('supportdesk:conversation:'))![1]).conversationId);
    const stored = (await suite.server.app.repos.conversations.messages(conversationId)).filter((m) => m.text === 'Ist da jemand?');
    expect(stored).toHaveLength(1);
    expect(await widget.locator('.msg.customer', { hasText: 'Ist da jemand?' }).count()).toBe(1);
  });
});
