// Attachments in real Chromium (issue 13): a customer attaches a picture in the widget, the agent sees it in
// the console and sends a PDF back; an SVG named .png is refused with a reason; another conversation's
// token cannot read the picture.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import { browserSuite } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const suite = browserSuite({
  timeoutMs: 10_000,
  async prepare() {
    await ensureConsoleBundle();
    await suite.server.app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: await hashPassword('anna-password'), role: 'agent' });
  },
});
let customerContext: BrowserContext;
let agentContext: BrowserContext;

beforeEach(async () => {
  customerContext = await suite.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
  agentContext = await suite.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-DE' });
});

// a 2×2 red PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function send(widget: Locator, text: string) {
  const input = widget.getByRole('textbox', { name: 'Ihre Nachricht' });
  await input.fill(text);
  await input.press('Enter');
}

function failOnErrors(page: Page, errors: string[]) {
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
}

describe('attachments between the widget and the console', () => {
  it('a customer attaches a picture, the agent sees it and sends a PDF back; SVG is refused; another token reads nothing', async () => {
    const errors: string[] = [];
    const console_ = await agentContext.newPage();
    failOnErrors(console_, errors);
    await console_.goto(`${suite.server.baseUrl}/agent/login`);
    await console_.getByLabel('Login').fill('anna');
    await console_.getByLabel('Password').fill('anna-password');
    await console_.getByRole('button', { name: 'Log in' }).click();
    await console_.locator('body[data-live="true"]').waitFor();

    const shop = await customerContext.newPage();
    failOnErrors(shop, errors);
    await shop.goto(`${suite.server.baseUrl}/`);
    const widget = shop.locator('[data-supportdesk]');
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    await widget.locator('.msg.bot').first().waitFor();
    await send(widget, 'Ich möchte bitte mit einem Mitarbeiter sprechen');
    await widget.locator('.msg.system', { hasText: /Position \d+ der Warteschlange/ }).waitFor();

    // the customer attaches a screenshot: it shows as a thumbnail in their chat
    await widget.locator('input[type=file]').setInputFiles({ name: 'Bildschirmfoto.png', mimeType: 'image/png', buffer: PNG });
    const thumb = widget.locator('.msg.customer img.thumb');
    await expect.poll(() => thumb.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await thumb.getAttribute('alt')).toBe('Bildschirmfoto.png');

    // an SVG is refused, even named .png and claimed as image/png, with the reason; nothing is shown
    await widget.locator('input[type=file]').setInputFiles({ name: 'nett.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') });
    await widget.locator('.notice', { hasText: 'Die Datei wurde nicht gesendet' }).waitFor();
    expect(await widget.locator('.msg.customer', { hasText: 'nett.png' }).count()).toBe(0);

    // the agent opens the conversation: the picture is there, loaded with the agent's session
    await console_.locator('.queue-item', { hasText: 'Mitarbeiter' }).click();
    const image = console_.locator('#transcript .message.author-customer img.attachment-thumb');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);

    // another conversation's token reads nothing (404), and neither does no token
    const src = (await image.getAttribute('src'))!;
    const conversationId = /\/conversations\/([^/]+)\//.exec(src)![1];
    const attachmentId = src.split('/').pop()!;
    const other = await (await fetch(`${suite.server.baseUrl}/api/chat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"de"}' })).json();
    const chatUrl = `${suite.server.baseUrl}/api/chat/conversations/${conversationId}/attachments/${attachmentId}`;
    expect((await fetch(chatUrl, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
    expect((await fetch(chatUrl)).status).toBe(401);

    // the agent claims and sends a PDF: the customer gets a download link, live
    await console_.getByRole('button', { name: 'Claim' }).click();
    await console_.locator('#conversation-status', { hasText: 'Assigned to you' }).waitFor();
    await console_.locator('#attach-input').setInputFiles({ name: 'Rechnung.pdf', mimeType: 'application/pdf', buffer: PDF });
    await console_.locator('#transcript .message.author-agent .attachments a', { hasText: 'Rechnung.pdf' }).waitFor();
    const link = widget.locator('.msg.agent .file-link', { hasText: 'Rechnung.pdf' });
    await link.waitFor();
    const [download] = await Promise.all([shop.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('Rechnung.pdf');

    expect(errors).toEqual([]);
  });
});
