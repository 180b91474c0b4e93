// The outbox across a crash, with the real process: an SMS for the customer that is stored but not yet sent
// when the process is killed (SIGKILL) is sent exactly once after the restart.
import net from 'node:net';
import path from 'node:path';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../server/store/database.js';
import { tempDir } from './helpers/services.js';
import { AUTH_TOKEN, PUBLIC_URL, smsParams, startFakeTwilio, twilioEnv, type FakeTwilio } from './helpers/fake-twilio.js';
import { startServer as startServerProcess } from './helpers/server-process.js';

const children: Array<{ kill(signal: NodeJS.Signals): boolean }> = [];
let fake: FakeTwilio | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await fake?.close();
});

async function startServer(dataDir: string, env: Record<string, string>) {
  const server = await startServerProcess(dataDir, { INITIAL_ADMIN_PASSWORD: 'admin-password', OUTBOX_POLL_SECONDS: '1', ...env }, 40_000);
  children.push(server.child);
  return server;
}

/** A port nothing listens on: the REST API is unreachable (a network error for the sender). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
}

/** Logs in as the first admin through the real form, as a browser does; returns the cookie and CSRF token. */
async function logIn(url: string) {
  const page = await fetch(`${url}/agent/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const login = await fetch(`${url}/agent/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(page) },
    body: new URLSearchParams({ login: 'admin', password: 'admin-password', _csrf: csrf }).toString(),
  });
  expect(login.status).toBe(303);
  const cookie = cookiesOf(login);
  const me = await (await fetch(`${url}/api/agent/me`, { headers: { cookie } })).json();
  return { cookie, csrfToken: me.csrfToken as string };
}

describe('the outbox across a crash', () => {
  it('sends an SMS that was stored but not sent when the process was killed exactly once after the restart', async () => {
    const dataDir = tempDir();
    fake = await startFakeTwilio();
    const first = await startServer(dataDir, twilioEnv({ url: `http://127.0.0.1:${await deadPort()}` }));

    // a customer asks for a person by SMS (signed for the public URL, sent to the local one, as behind a proxy)
    const params = smsParams('+4915112345678', 'AGENT');
    const res = await fetch(`${first.url}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/twilio/sms`, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);

    // an agent claims it: "… ist jetzt für Sie da." is stored for the customer; Twilio cannot be reached
    const agent = await logIn(first.url);
    const queue = await (await fetch(`${first.url}/api/agent/queue`, { headers: { cookie: agent.cookie } })).json();
    const claim = await fetch(`${first.url}/api/agent/conversations/${queue.conversations[0].id}/claim`, { method: 'POST', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken } });
    expect(claim.status).toBe(200);
    // wait until the first attempt has failed and the SMS waits for its retry, then kill the process
    const file = `sqlite:${path.join(dataDir, 'support-desk.sqlite')}`;
    let store = await openStore(file);
    let job: Awaited<ReturnType<typeof firstJob>>;
    const firstJob = () => store.db.selectFrom('outbox').selectAll().executeTakeFirst();
    for (let waited = 0; ; waited += 100) {
      job = await firstJob();
      if ((job?.state === 'queued' && job.attempts >= 1) || waited > 15_000) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await store.close();
    first.child.kill('SIGKILL');
    await first.exited;
    if (!job) throw new Error('no SMS in the outbox');
    expect(job).toMatchObject({ state: 'queued', recipient: '+4915112345678', provider_id: null });
    expect(fake.requests).toHaveLength(0);

    // the restart drains the outbox: the SMS goes out, once
    const second = await startServer(dataDir, twilioEnv(fake));
    const deadline = Date.now() + 20_000;
    while (fake.sent.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a few more polls: nothing is sent twice
    expect(fake.sent.map((s) => [s.to, s.body])).toEqual([['+4915112345678', job.body]]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    store = await openStore(file);
    const after = await store.db.selectFrom('outbox').selectAll().execute();
    const message = await store.db.selectFrom('messages').selectAll().where('id', '=', job.message_id!).executeTakeFirstOrThrow();
    await store.close();
    expect(after).toMatchObject([{ state: 'sent', provider_id: fake.sent[0].sid }]);
    expect(message.delivery_state).toBe('sent');
  }, 90_000);
});
