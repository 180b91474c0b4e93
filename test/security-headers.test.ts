// Security headers per kind of answer: every page and JSON answer is nosniff, cannot be framed by another site
// and sends a Referrer-Policy; pages allow only our own scripts; the widget script stays loadable by any site;
// agent answers are never cached (GET /api/agent/me carries the CSRF token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { appOn, copyKb } from './fixtures/kb-fixtures.js';
import { addAgent, logIn } from './helpers/agents.js';

let http: Awaited<ReturnType<typeof appOn>>;
let https: Awaited<ReturnType<typeof appOn>>;
beforeAll(async () => {
  const kb = copyKb();
  http = await appOn(kb, { PUBLIC_URL: 'http://localhost:3000' });
  https = await appOn(kb, { PUBLIC_URL: 'https://support.example.com' });
});
afterAll(async () => {
  await http?.close();
  await https?.close();
});

/** The CSP as directive -> sources. */
function csp(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(header.split(';').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [name, ...sources] = part.split(/\s+/);
    return [name, sources];
  }));
}

function expectBaseline(response: LightMyRequestResponse) {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBeTruthy();
  expect(csp(response).get('frame-ancestors')).toEqual(["'none'"]);
}

describe('security headers', () => {
  it.each(['/help?lang=de', '/help/search?q=Karte&lang=de', '/help/articles/card-payment?lang=de', '/help/articles/no-such-article?lang=de', '/no-such-page'])('%s: baseline, and only our own scripts and styles', async (url) => {
    const response = await http.app.inject({ url });
    expectBaseline(response);
    const policy = csp(response);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
  });

  it('the demo page: baseline, its own inline styles, our widget script', async () => {
    const response = await http.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expectBaseline(response);
    expect(csp(response).get('script-src')).toEqual(["'self'"]);
    expect(csp(response).get('style-src')).toContain("'unsafe-inline'");
  });

  it('/docs: baseline on the page and its assets', async () => {
    const page = await http.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expectBaseline(page);
    expect(csp(page).get('script-src')).toEqual(["'self'"]);
    const json = await http.app.inject({ url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expectBaseline(json);
  });

  it.each([
    ['GET', '/api/search?q=card&locale=en'],
    ['POST', '/api/chat/conversations'],
    ['GET', '/healthz'],
    ['GET', '/api/agent/queue'],
  ])('JSON %s %s: baseline', async (method, url) => {
    const response = await http.app.inject({ method: method as 'GET', url, payload: method === 'POST' ? { locale: 'en' } : undefined });
    expect(response.headers['content-type']).toMatch(/json/);
    expectBaseline(response);
  });

  it('/widget.js stays loadable by any site', async () => {
    const response = await http.app.inject({ url: '/widget.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('agent pages: strict policy, same-origin referrer, never cached; agent JSON is never cached', async () => {
    const login = await http.app.inject({ url: '/agent/login' });
    expectBaseline(login);
    expect(login.headers['referrer-policy']).toBe('same-origin');
    expect(login.headers['cache-control']).toBe('no-store');
    expect(csp(login).get('style-src')).toEqual(["'self'"]);
    expect(csp(login).get('form-action')).toEqual(["'self'"]);

    await addAgent(http.app, 'anna', 'Anna');
    const anna = await logIn(http.app, 'anna');
    const me = await anna.get('/api/agent/me');
    expect(me.json().csrfToken).toBeTruthy();
    expect(me.headers['cache-control']).toBe('no-store');
    expectBaseline(me);
    expect((await anna.get('/api/agent/queue')).headers['cache-control']).toBe('no-store');
    const consolePage = await anna.get('/agent');
    expect(consolePage.headers['cache-control']).toBe('no-store');
    expect(csp(consolePage).get('script-src')).toEqual(["'self'"]);
  });

  it('HSTS and upgrade-insecure-requests only when PUBLIC_URL is https', async () => {
    const plain = await http.app.inject({ url: '/help' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(csp(plain).has('upgrade-insecure-requests')).toBe(false);
    const secure = await https.app.inject({ url: '/help' });
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(csp(secure).has('upgrade-insecure-requests')).toBe(true);
  });
});
