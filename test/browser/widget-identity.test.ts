// The widget on a shop page that passes its signed-in user (data-user-id, data-user-hash): two browsers of
// the same user are one customer for the agents, and another user signing in on the same browser does not
// get the previous user's conversation back.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite } from '../helpers/browser.js';

const SECRET = 'the-shop-signs-its-users-with-this-secret-0123456789';
const suite = browserSuite({ env: { IDENTITY_VERIFICATION_SECRET: SECRET } });

const sign = (id: string) => createHmac('sha256', SECRET).update(id).digest('hex');

/**
 * A shop page with the widget tag for this user (or none signed in). It is served (by interception) from the
 * chat server's origin: Chromium blocks a public origin from loading scripts from loopback.
 */
async function shopPage(page: Page, userId?: string): Promise<void> {
  const shop = `${suite.server.baseUrl}/a-shop-page`;
  const attributes = userId ? ` data-user-id="${userId}" data-user-hash="${sign(userId)}"` : '';
  await page.route(shop, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><body><h1>Shop</h1><script src="${suite.server.baseUrl}/widget.js"${attributes} async></script></body></html>` }),
  );
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(shop);
}

async function startChat(page: Page): Promise<string> {
  const widget = page.locator('[data-supportdesk]');
  await widget.getByRole('button', { name: 'Open chat' }).click();
  await widget.locator('.msg.bot').first().waitFor();
  return page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith('supportdesk:conversation:'))![1]).conversationId);
}

describe('the widget for a signed-in user of the host site', { timeout: 60_000 }, () => {
  it('links the chats of one signed-in user from two browsers to one customer', async () => {
    const laptop = await (await suite.newContext({ locale: 'en-GB' })).newPage();
    await shopPage(laptop, 'shop-user-7');
    const first = await startChat(laptop);
    const phone = await (await suite.newContext({ locale: 'en-GB' })).newPage();
    await shopPage(phone, 'shop-user-7');
    const second = await startChat(phone);
    const repos = suite.server.app.repos;
    const [a, b] = await Promise.all([repos.conversations.get(first), repos.conversations.get(second)]);
    expect(b?.customer_id).toBe(a?.customer_id);
    expect(await repos.customers.findByIdentity({ kind: 'user', value: 'shop-user-7' })).toBe(a?.customer_id);
  });

  it("another user signing in on the same browser gets a new conversation, not the previous user's", async () => {
    const context = await suite.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await shopPage(page, 'shop-user-8');
    const first = await startChat(page);
    await page.close();
    const next = await context.newPage();
    await shopPage(next, 'shop-user-9');
    const second = await startChat(next);
    expect(second).not.toBe(first);
    const conversation = await suite.server.app.repos.conversations.get(second);
    expect(await suite.server.app.repos.customers.findByIdentity({ kind: 'user', value: 'shop-user-9' })).toBe(conversation?.customer_id);
  });
});
