// A customer who left gets the agent's reply by e-mail (a real SMTP server on loopback) and follows its
// link in real Chromium: the widget reopens that conversation with the reply, and the token leaves the address bar.
import { afterAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../server/store/schema.js';
import { browserSuite } from '../helpers/browser.js';
import { keepOnline } from '../helpers/agents.js';
import { plainText, startSmtp } from '../helpers/smtp.js';

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

describe('the link in a reply e-mail', () => {
  it('reopens the conversation in the widget with the agent reply, and the customer can answer there', async () => {
    const { app, baseUrl } = suite.server;
    // the customer started a chat with their e-mail, asked for a person and closed the page (no socket)
    const started = await app.inject({ method: 'POST', url: '/api/chat/conversations', payload: { locale: 'en', customer: { email: 'kim@example.net' } } });
    const { conversationId } = started.json() as { conversationId: string };
    await app.handoff.escalate({ conversationId, channel: 'web', locale: 'en' }, 'customer_request', { offeredArticleIds: [], feedback: [] });
    await app.handoff.claim(conversationId, agent);
    await app.handoff.reply(conversationId, agent, 'Your parcel is on its way.');

    for (let i = 0; i < 100 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const text = plainText(smtp.received[0].raw);
    expect(text).toContain('Anna Schmidt replied to you:');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/\?chat=open&conversation=[\w-]+#token=[\w-]+)/.exec(text)![1];
    expect(link.startsWith(`${baseUrl}/?chat=open&conversation=${conversationId}#token=`)).toBe(true);

    // a fresh browser: nothing saved, only the link
    const context = await suite.newContext({ viewport: { width: 375, height: 740 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(link);
    const widget = page.locator('[data-supportdesk]');
    await expect.poll(() => widget.locator('.msg', { hasText: 'Your parcel is on its way.' }).count()).toBeGreaterThan(0);
    expect(page.url()).toBe(`${baseUrl}/?chat=open&conversation=${conversationId}`);

    const input = widget.getByRole('textbox');
    await input.fill('Great, thank you');
    await input.press('Enter');
    await expect
      .poll(async () => (await app.repos.conversations.messages(conversationId)).filter((m) => m.author === 'customer').map((m) => m.text))
      .toContain('Great, thank you');
  });
});
