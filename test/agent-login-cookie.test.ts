// The login form's cookie over https: a `__Host-` cookie is stored by browsers only with Secure, Path=/ and
// no Domain (test/browser/agent-login-https.test.ts logs in through Chromium; this checks the header itself).
import { describe, expect, it } from 'vitest';
import { appsPerTest } from './helpers/app.js';
import { setCookies } from './helpers/agents.js';

const start = appsPerTest();

describe('the login form cookie', () => {
  it('over https is a valid __Host- cookie: Secure, Path=/, no Domain', async () => {
    const { app } = await start(new Date('2026-11-23T09:00:00Z'), { PUBLIC_URL: 'https://support.example.com' });
    const page = await app.inject({ url: '/agent/login' });
    const line = setCookies(page).get('__Host-support_desk_login')!;
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*Path=\/(;|$)/);
    expect(line).toMatch(/;\s*Secure/);
    expect(line).not.toMatch(/Domain=/i);
  });
});
