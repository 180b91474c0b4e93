// TRUST_PROXY: which address the per-IP limits key on. Off by default, a forged X-Forwarded-For changes
// nothing; behind a trusted proxy, the address that proxy appended is the client's.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';
import { appsPerTest } from './helpers/app.js';
import { addAgent, submitLogin } from './helpers/agents.js';

const start = appsPerTest({ AGENT_LOGIN_ATTEMPTS_PER_15_MIN: '3' });
const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');

/** Wrong-password logins from one socket address, each with the X-Forwarded-For `forwardedFor(i)` gives. */
async function guesses(app: Parameters<typeof addAgent>[0], count: number, forwardedFor: (i: number) => string, remoteAddress = '127.0.0.1') {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await submitLogin(app, 'anna', 'guess', { 'x-forwarded-for': forwardedFor(i) }, remoteAddress)).statusCode);
  return statuses;
}

describe('TRUST_PROXY', () => {
  it('off (the default): rotating a forged X-Forwarded-For gets no more login attempts', async () => {
    const { app } = await start(MONDAY_MORNING);
    await addAgent(app, 'anna', 'Anna');
    expect(await guesses(app, 5, (i) => `203.0.113.${i + 1}`)).toEqual([401, 401, 401, 429, 429]);
    // the right password still waits: the address is blocked, whatever the header says
    const blocked = await submitLogin(app, 'anna', 'correct horse', { 'x-forwarded-for': '198.51.100.200' });
    expect(blocked.statusCode).toBe(429);
    // a really different address has its own budget
    expect((await submitLogin(app, 'anna', 'correct horse', {}, '192.0.2.44')).statusCode).toBe(303);
  });

  it('set to the proxy address: the limit keys on the address the proxy appended, not on what the client wrote', async () => {
    const { app } = await start(MONDAY_MORNING, { TRUST_PROXY: '10.0.0.5' });
    await addAgent(app, 'anna', 'Anna');
    // the client forges the first entry; the proxy (10.0.0.5) appends the address it saw, 198.51.100.7
    expect(await guesses(app, 4, (i) => `203.0.113.${i + 1}, 198.51.100.7`, '10.0.0.5')).toEqual([401, 401, 401, 429]);
    // another client behind the same proxy is not blocked
    expect((await submitLogin(app, 'anna', 'correct horse', { 'x-forwarded-for': '198.51.100.8' }, '10.0.0.5')).statusCode).toBe(303);
    // a client that reaches the port directly (not from 10.0.0.5) cannot choose its address with the header
    expect(await guesses(app, 4, (i) => `198.51.100.${20 + i}`, '192.0.2.9')).toEqual([401, 401, 401, 429]);
  });

  it('as a hop count: the address the last proxy appended is the client', async () => {
    const { app } = await start(MONDAY_MORNING, { TRUST_PROXY: '1' });
    await addAgent(app, 'anna', 'Anna');
    expect(await guesses(app, 4, (i) => `203.0.113.${i + 1}, 198.51.100.7`)).toEqual([401, 401, 401, 429]);
    expect((await submitLogin(app, 'anna', 'correct horse', { 'x-forwarded-for': '203.0.113.1, 198.51.100.8' })).statusCode).toBe(303);
  });

  it('accepts true, a hop count, or addresses and CIDRs; anything else names the variable', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, fd00::/8, loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example.com' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '0' })).not.toThrow();
  });
});
