// A message whose answer was lost on the way back (stored by the server, but the browser saw a network
// error): the widget's retry sends the same client message id, so the message is stored and shown once.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserSuite } from '../helpers/browser.js';

const QUESTION = 'Wie lange ist die Lieferzeit nach Österreich?';

const suite = browserSuite();
let context: BrowserContext;

beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
});

describe('the widget retrying a message', { timeout: 60_000 }, () => {
  it('a retry after a lost answer does not store or show the message twice', async () => {
    // no WebSocket, so the stored copy cannot arrive by itself: only the retry can bring it back
    await context.addInitScript(() => {
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
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    let networkDown = false;
    const posted: Array<{ text?: string; clientMessageId?: string }> = [];
    await page.route('**/api/chat/conversations/*/messages*', async (route) => {
      const request = route.request();
      if (request.method() === 'POST') {
        posted.push(request.postDataJSON());
        if (posted.length === 1) {
          // the server stores the message and answers, but the answer never reaches the page
          await route.fetch();
          networkDown = true;
          return route.abort('connectionreset');
        }
      }
      if (networkDown) return route.abort('internetdisconnected');
      return route.continue();
    });

    await page.goto(`${suite.server.baseUrl}/`);
    const widget = page.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.locator('.msg.bot').first().waitFor();
    const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
    await input.fill(QUESTION);
    await input.press('Enter');

    const retry = widget.getByRole('button', { name: 'Erneut versuchen' });
    await retry.waitFor();
    networkDown = false;
    await retry.click();
    await widget.locator('.msg.bot').nth(1).waitFor();
    await expect.poll(() => widget.locator('.msg.customer.failed').count()).toBe(0);

    expect(posted).toHaveLength(2);
    expect(posted[0].clientMessageId).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(posted[1].clientMessageId).toBe(posted[0].clientMessageId);
    expect(await widget.locator('.msg.customer .bubble').allTextContents()).toEqual([QUESTION]);
    const { conversationId } = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith('supportdesk:conversation:'))![1]));
    const stored = await suite.server.app.repos.conversations.messages(conversationId);
    expect(stored.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual([QUESTION]);
  });
});
