// A customer who left gets the agent's reply by e-mail (a real SMTP server on loopback) and follows its
// link in real Chromium: the widget reopens that conversation with the reply, and the token leaves the address bar.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../server/store/schema.js';
import { browserSuite } from '../helpers/browser.js';
import { keepOnline } from '../helpers/agents.js';
import { plainText, startSmtp } from '../helpers/smtp.js';

const SCREENSHOTS = process.env.WIDGET_SCREENSHOTS; // a directory: set it to look at the widget's note
const smtp = await startSmtp();
afterAll(() => smtp.close());

let agent: Agent;
const suite = browserSuite({
  env: { SMTP_URL: smtp.url, EMAIL_FROM: 'support@example.com' },
  async prepare(server) {
    agent = (await server.app.agents.create({ login: 'anna', displayName: 'Anna Schmidt', passwordHash: 'not used: the test acts through the handoff service', role: 'agent' }))!;
    await keepOnline(server.app, agent.id);
  },
});

/** A customer who gave their e-mail asked for a person and left; Anna replied. Returns the e-mail's text and link. */
async function agentReplyByEmail(email: string, reply: string): Promise<{ conversationId: string; text: string; link: string }> {
  const { app } = suite.server;
  const started = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', customer: { email } } });
  const { conversationId } = started.json() as { conversationId: string };
  await app.handoff.escalate({ conversationId, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
  await app.handoff.claim(conversationId, agent);
  const before = smtp.received.length;
  await app.handoff.reply(conversationId, agent, reply);
  for (let i = 0; i < 100 && smtp.received.length === before; i++) await new Promise((r) => setTimeout(r, 50));
  const text = plainText(smtp.received[before].raw);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/\?chat=open&conversation=[\w-]+#token=[\w-]+)/.exec(text)![1];
  return { conversationId, text, link };
}

/** The link opened in a fresh browser (nothing saved, only the link) on a phone-sized page. */
async function openInFreshBrowser(link: string) {
  const context = await suite.newContext({ viewport: { width: 375, height: 740 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(link);
  return { page, widget: page.locator('[data-supportdesk]') };
}

describe('the link in a reply e-mail', () => {
  it('reopens the conversation in the widget with the agent reply, and the customer can answer there', async () => {
    const { app, baseUrl } = suite.server;
    // the customer started a chat with their e-mail, asked for a person and closed the page (no socket)
    const { conversationId, text, link } = await agentReplyByEmail('kim@example.net', 'Your parcel is on its way.');
    expect(text).toContain('Anna Schmidt replied to you:');
    expect(link.startsWith(`${baseUrl}/?chat=open&conversation=${conversationId}#token=`)).toBe(true);

    const { page, widget } = await openInFreshBrowser(link);
    await expect.poll(() => widget.locator('.msg', { hasText: 'Your parcel is on its way.' }).count()).toBeGreaterThan(0);
    expect(page.url()).toBe(`${baseUrl}/?chat=open&conversation=${conversationId}`);

    const input = widget.getByRole('textbox');
    await input.fill('Great, thank you');
    await input.press('Enter');
    await expect
      .poll(async () => (await app.repos.conversations.messages(conversationId)).filter((m) => m.author === 'customer').map((m) => m.text))
      .toContain('Great, thank you');
  });

  it('says so when the link has expired, and the customer writes in a new conversation', async () => {
    const { app } = suite.server;
    const { conversationId, link } = await agentReplyByEmail('lee@example.net', 'We refunded the fee.');
    // RESUME_LINK_DAYS have passed since the e-mail
    await app.store.db.updateTable('resume_tokens').set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where('conversation_id', '=', conversationId).execute();
    await app.store.durable();

    const { page, widget } = await openInFreshBrowser(link);
    // the page's widget speaks German (its language), the note too
    await expect.poll(() => widget.getByRole('status').filter({ hasText: 'Der Link aus unserer E-Mail ist abgelaufen' }).count()).toBe(1);
    expect(await widget.locator('.msg', { hasText: 'We refunded the fee.' }).count()).toBe(0);

    const input = widget.getByRole('textbox');
    await input.fill('Is my refund done?');
    await input.press('Enter');
    const written = () => app.store.db.selectFrom('messages').select('conversation_id').where('text', '=', 'Is my refund done?').execute();
    await expect.poll(async () => (await written()).length).toBe(1);
    // in a new conversation, not the one the link was for
    expect((await written())[0].conversation_id).not.toBe(conversationId);
    // the note stays above the new conversation
    expect(await widget.getByRole('status').filter({ hasText: 'ist abgelaufen' }).count()).toBe(1);
    if (SCREENSHOTS) {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-link-expired-375.png') });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.waitForTimeout(800); // the panel's open transition after the resize
      await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-link-expired-1440.png') });
    }
  });
});
