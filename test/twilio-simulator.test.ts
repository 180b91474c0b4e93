// `npm run simulate`: the developer's SMS and call simulator, run as a process against a listening app.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appsPerTest } from './helpers/app.js';
import { AUTH_TOKEN, OUR_NUMBER, PUBLIC_URL, startFakeTwilio, twilioEnv, type FakeTwilio } from './helpers/fake-twilio.js';

const root = path.resolve(import.meta.dirname, '..');
const start = appsPerTest();
let fake: FakeTwilio | undefined;
afterEach(async () => fake?.close());

async function listening() {
  fake = await startFakeTwilio();
  const { app } = await start(new Date('2026-11-23T09:00:00Z'), twilioEnv(fake));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, address };
}

function simulate(address: string, args: string[], input = '', token = AUTH_TOKEN): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/simulate.ts', ...args], {
      cwd: root,
      env: { ...process.env, SIMULATE_URL: address, PUBLIC_URL, TWILIO_AUTH_TOKEN: token, TWILIO_PHONE_NUMBER: OUR_NUMBER },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.stdin.end(input);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run simulate', () => {
  it('sms: sends a signed webhook and prints the reply', async () => {
    const { address } = await listening();
    const { code, out } = await simulate(address, ['sms', '+4915112345678', 'Wie ändere ich mein Passwort?']);
    expect(code, out).toBe(0);
    expect(out).toContain('Passwort vergessen?');
    expect(out).toMatch(/https:\/\/support\.example\.com\/s\/[\w-]{7}/);
    expect(out).toContain('Antworten Sie JA oder NEIN');
  }, 30_000);

  it('call: prints what would be said and takes typed speech and digits', async () => {
    const { address } = await listening();
    const { code, out } = await simulate(address, ['call', '+4915112345678'], 'Wie ändere ich mein Passwort?\n2\n0\n');
    expect(code, out).toBe(0);
    expect(out).toContain('🔊 Hallo!');
    expect(out).toContain('Passwort vergessen?');
    expect(out).toContain('Wir haben Ihnen den Link per SMS geschickt.');
    expect(out).toContain('📞 waiting in the queue "support"');
    expect(fake!.sent).toHaveLength(1);
  }, 30_000);

  it('says what is wrong when the signature does not match the server', async () => {
    const { address } = await listening();
    const { code, out } = await simulate(address, ['sms', '+4915112345678', 'Hallo'], '', 'wrong-token');
    expect(code).toBe(1);
    expect(out).toContain('the server refused the signature');
  }, 30_000);
});
