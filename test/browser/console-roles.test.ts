// The console in real Chromium offers each role only what it may do: an editor gets the knowledge base and no
// queue, an agent no team management, an admin the team dialog (disable an agent, who then cannot log in; add one).
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../server/handoff/passwords.js';
import type { AgentRole } from '../../server/store/schema.js';
import { browserSuite, seriousAxeViolations } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';

const suite = browserSuite({
  timeoutMs: 10_000,
  async prepare(server) {
    await ensureConsoleBundle();
    const people: Array<[string, string, AgentRole]> = [['anna', 'Anna', 'agent'], ['eddie', 'Eddie', 'editor'], ['ada', 'Ada', 'admin'], ['ben', 'Ben', 'agent']];
    for (const [login, name, role] of people) await server.app.agents.create({ login, displayName: name, passwordHash: await hashPassword(`${login}-password`), role });
  },
});
let context: BrowserContext;
beforeEach(async () => {
  context = await suite.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB', bypassCSP: true });
});

async function logIn(page: Page, login: string, password = `${login}-password`) {
  await page.goto(`${suite.server.baseUrl}/agent/login`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('the console by role', () => {
  it('an editor gets the knowledge base search and no queue, no conversation stream, no alerts, no team', async () => {
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await logIn(page, 'eddie');
    await page.waitForURL(`${suite.server.baseUrl}/agent`);
    await page.locator('#kb-pane').waitFor();
    expect(await page.locator('#queue-list').count()).toBe(0);
    expect(await page.locator('#alerts-toggle').count()).toBe(0);
    expect(await page.locator('#team-toggle').count()).toBe(0);

    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Search the knowledge base').fill('delivery');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#kb-results li strong').first().waitFor();
    expect(await page.locator('#kb-results button.insert').count()).toBe(0); // nothing to insert into
    expect(sockets).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('an agent has the queue but no team management', async () => {
    const page = await context.newPage();
    await logIn(page, 'anna');
    await page.locator('body[data-live="true"]').waitFor();
    await page.locator('#queue-list').waitFor();
    expect(await page.locator('#team-toggle').count()).toBe(0);
  });

  it('an admin disables an agent in the team dialog (who then cannot log in) and adds a new one', async () => {
    const page = await context.newPage();
    await logIn(page, 'ada');
    await page.locator('body[data-live="true"]').waitFor();
    await page.getByRole('button', { name: 'Team' }).click();
    const ben = page.locator('#team-list tr[data-login="ben"]');
    await ben.getByRole('button', { name: 'Disable' }).click();
    await ben.getByRole('button', { name: 'Enable' }).waitFor();
    await expect.poll(() => page.locator('#team-status').textContent()).toContain('Ben is disabled');
    expect(await seriousAxeViolations(page, '#team')).toEqual([]);

    await page.getByLabel('Login', { exact: true }).fill('cleo');
    await page.getByLabel('Name', { exact: true }).fill('Cleo');
    await page.getByLabel('Password', { exact: true }).fill('cleo-password');
    await page.getByLabel('Role of the new agent').selectOption('editor');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.locator('#team-list tr[data-login="cleo"]').waitFor();
    expect((await suite.server.app.agents.findByLogin('cleo'))?.role).toBe('editor');

    const other = await (await suite.newContext()).newPage();
    await logIn(other, 'ben');
    await other.getByText('Wrong login or password.').waitFor();
    await logIn(other, 'cleo');
    await other.waitForURL(`${suite.server.baseUrl}/agent`);
    await other.locator('#kb-pane').waitFor();
  });
});
