// An agent logs in over https in real Chromium: PUBLIC_URL is https, so the cookies are `__Host-` (Secure,
// Path=/, no Domain) and the browser drops any that break those rules. The app runs behind a local TLS
// listener with a self-signed certificate made for this test, as it would behind a TLS-terminating proxy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { hashPassword } from '../../server/handoff/passwords.js';
import { launchBrowser } from '../helpers/browser.js';
import { ensureConsoleBundle } from '../helpers/agents.js';
import { openSqliteStore, tempDir } from '../helpers/services.js';
import type { Store } from '../../server/store/database.js';

let browser: Browser | undefined;
let app: FastifyInstance | undefined;
let store: Store | undefined;
let tlsServer: tls.Server | undefined;
let publicUrl = '';

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = tempDir('support-desk-tls-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  await ensureConsoleBundle();
  // TLS in front, plain HTTP behind: every decrypted connection is piped to the app (WebSockets too)
  let appPort = 0;
  tlsServer = tls.createServer(selfSignedCertificate(), (socket) => {
    const upstream = net.connect(appPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tlsServer!.listen(0, '127.0.0.1', resolve));
  publicUrl = `https://127.0.0.1:${(tlsServer.address() as net.AddressInfo).port}`;
  store = await openSqliteStore();
  app = await buildApp(testConfig({ KB_DIR: path.resolve('kb-content'), DATA_DIR: tempDir(), PUBLIC_URL: publicUrl, OPENING_HOURS: 'mon-sun 00:00-24:00' }), { store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  appPort = (app.server.address() as net.AddressInfo).port;
  await app.agents.create({ login: 'anna', displayName: 'Anna', passwordHash: await hashPassword('anna-password'), role: 'agent' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
  await new Promise((resolve) => (tlsServer ? tlsServer.close(resolve) : resolve(undefined)));
});

beforeEach((test) => {
  if (!browser) test.skip();
});

describe('agent login over https', () => {
  it('logs in with __Host- cookies that Chromium accepts, the console goes live, and logout clears the cookie', async () => {
    const context = await browser!.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await page.goto(`${publicUrl}/agent`);
      expect(new URL(page.url()).pathname).toBe('/agent/login');
      // the login form's double-submit cookie must have been stored, or the post is "expired"
      expect((await context.cookies()).map((c) => c.name)).toContain('__Host-support_desk_login');
      await page.getByLabel('Login').fill('anna');
      await page.getByLabel('Password').fill('anna-password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${publicUrl}/agent`);
      await page.locator('body[data-live="true"]').waitFor();
      const session = (await context.cookies()).find((c) => c.name === '__Host-support_desk_agent');
      expect(session).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Strict' });
      // the form's cookie is spent; logging out removes the session cookie from the browser too
      expect((await context.cookies()).map((c) => c.name)).not.toContain('__Host-support_desk_login');
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${publicUrl}/agent/login`);
      expect((await context.cookies()).map((c) => c.name)).not.toContain('__Host-support_desk_agent');
    } finally {
      await context.close();
    }
  });
});
