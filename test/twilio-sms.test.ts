// SMS through Twilio, end to end: webhooks signed with the twilio package's own function, the real app,
// and a fake Twilio REST API on loopback (a real HTTP server) for what we send.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest, type MovableClock } from './helpers/app.js';
import { addAgent, logIn, agentOnline } from './helpers/agents.js';
import { tempDir } from './helpers/services.js';
import { PUBLIC_URL, signedPost, smsParams, smsReplies, startFakeTwilio, twilioEnv, type FakeTwilio } from './helpers/fake-twilio.js';
import { smsSegments } from '../bot/replies/sms-length.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const GERMAN_MOBILE = '+4915112345678';
const UK_MOBILE = '+447700900123';

const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });
let fakes: FakeTwilio[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

async function setup(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; clock: MovableClock; twilio: FakeTwilio }> {
  const twilio = await startFakeTwilio();
  fakes.push(twilio);
  const { app, clock } = await start(MONDAY_MORNING, twilioEnv(twilio, env));
  return { app, clock, twilio };
}

async function sms(app: FastifyInstance, from: string, body: string, extra: Record<string, string> = {}) {
  const res = await signedPost(app, '/twilio/sms', smsParams(from, body, extra));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/xml/);
  return smsReplies(res.body);
}

async function count(app: FastifyInstance, table: 'messages' | 'customers' | 'conversations') {
  return Number((await app.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

describe('an SMS question', () => {
  it('is answered with the summary and a short link within 2 segments (GSM-7), in German for a German number', async () => {
    const { app } = await setup();
    const [answer, ...more] = await sms(app, GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    expect(more).toEqual([]);
    expect(answer).toMatch(/^Klicken Sie bei der Anmeldung auf "Passwort vergessen\?"\. Wir schicken Ihnen einen Link, mit dem Sie 60 Minuten lang ein neues Passwort setzen können\.\nhttps:\/\/support\.example\.com\/s\/[\w-]{7}\nHat das geholfen\? Antworten Sie JA oder NEIN$/);
    expect(smsSegments(answer)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsSegments(answer).segments).toBeLessThanOrEqual(2);

    // the short link leads to the article and counts as a view from SMS
    const link = /https:\/\/support\.example\.com(\/s\/[\w-]{7})/.exec(answer)![1];
    const res = await app.inject({ method: 'GET', url: link });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/help/articles/reset-password?lang=de`);
    const views = await app.store.db.selectFrom('article_views').selectAll().execute();
    expect(views).toMatchObject([{ article_id: 'reset-password', locale: 'de', channel: 'sms' }]);

    // the customer is one customer with their E.164 number, in an SMS conversation
    const conversations = await app.store.db.selectFrom('conversations').selectAll().execute();
    expect(conversations).toMatchObject([{ channel: 'sms', channel_address: GERMAN_MOBILE, locale: 'de' }]);
  });

  it('a summary with an emoji is UCS-2: shortened at a word so that it still fits 2 segments, with the link and question whole', async () => {
    const kbDir = tempDir('kb-ucs2-');
    fs.cpSync(path.resolve('kb-content'), kbDir, { recursive: true });
    const file = path.join(kbDir, 'en/account/reset-password.md');
    const long =
      'Click "Forgot password?" on the login page 🔑 and we will email you a link that lets you set a new password within 60 minutes; ' +
      'if the e-mail does not arrive, look in your spam folder first and then ask us again with the address you registered with.';
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^summary: .*$/m, `summary: '${long}'`));
    const { app } = await setup({ KB_DIR: kbDir });
    const [answer] = await sms(app, UK_MOBILE, 'How do I change my password?');
    const { encoding, segments } = smsSegments(answer);
    expect(encoding).toBe('UCS-2');
    expect(segments).toBe(2);
    expect(answer).toMatch(/^Click "Forgot password\?" on the login page 🔑 and we\b.*\w…\nhttps:\/\/support\.example\.com\/s\/[\w-]{7}\nDid that help\? Reply YES or NO$/s);
    // shortened at a word: the text before "…" is a prefix of the summary that ends at a word's end
    const kept = answer.split('…')[0];
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toMatch(/[\s,;]/);
  });

  it('an uncertain answer comes as a numbered list, best first, and "2" picks the second one', async () => {
    const { app } = await setup();
    // on the web 'Bestellung' is answered with alternatives under it; an SMS cannot show those, so it offers a choice
    const [list] = await sms(app, GERMAN_MOBILE, 'Bestellung');
    const lines = list.split('\n');
    expect(lines[0]).toBe('Meinten Sie:');
    const options = lines.slice(1, -1);
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(options.map((l) => l.slice(0, 2))).toEqual(options.map((_, i) => `${i + 1} `));
    expect(lines.at(-1)).toMatch(/^Antworten Sie 1(, 2)? oder [23]$/);
    const second = lines[2].slice(2);
    const [answer] = await sms(app, GERMAN_MOBILE, '2');
    const stored = (await app.store.db.selectFrom('messages').selectAll().where('author', '=', 'bot').orderBy('id', 'desc').executeTakeFirstOrThrow());
    expect(JSON.parse(stored.payload!).articles[0].title).toBe(second);
    expect(answer).toMatch(/\/s\/[\w-]{7}\nHat das geholfen\?/);
  });

  it('continues the open SMS conversation, and opens a new one after SMS_CONVERSATION_IDLE_HOURS or once resolved', async () => {
    const { app, clock } = await setup({ SMS_CONVERSATION_IDLE_HOURS: '2' });
    const conversations = async () => (await app.store.db.selectFrom('conversations').select(['id', 'status']).orderBy('created_at').execute());
    await sms(app, GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    clock.current = new Date(clock.current.getTime() + 90 * 60_000);
    await sms(app, GERMAN_MOBILE, 'Ja');
    expect(await conversations()).toHaveLength(1);
    clock.current = new Date(clock.current.getTime() + 2 * 60 * 60_000 + 1000);
    await sms(app, GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    expect(await conversations()).toHaveLength(2);
    const [, second] = await conversations();
    await app.repos.conversations.update(second.id, { status: 'resolved' });
    await sms(app, GERMAN_MOBILE, 'Paket');
    const all = await conversations();
    expect(all).toHaveLength(3);
    expect(new Set((await app.store.db.selectFrom('conversations').select('customer_id').execute()).map((c) => c.customer_id)).size).toBe(1);
  });

  it('MMS: the picture links are stored with the message for the agent', async () => {
    const { app } = await setup();
    await sms(app, GERMAN_MOBILE, 'Das Paket ist beschädigt', { NumMedia: '1', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1', MediaContentType0: 'image/jpeg' });
    const message = await app.store.db.selectFrom('messages').selectAll().where('author', '=', 'customer').executeTakeFirstOrThrow();
    expect(JSON.parse(message.payload!).media).toEqual([{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }]);
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const detail = (await anna.get(`/api/agent/conversations/${message.conversation_id}`)).json();
    expect(detail.messages.find((m: any) => m.author === 'customer')).toMatchObject({
      text: 'Das Paket ist beschädigt',
      media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }],
    });
  });
});

describe('Twilio webhooks are signed', () => {
  it('unsigned and tampered requests get 403 and store nothing', async () => {
    const { app } = await setup();
    const params = smsParams(GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    const unsigned = await app.inject({ method: 'POST', url: '/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(params).toString() });
    expect(unsigned.statusCode).toBe(403);
    // signed for other content, then changed
    const tampered = await signedPost(app, '/twilio/sms', { ...params, Body: 'STOP' }, { signature: (await import('twilio')).default.getExpectedTwilioSignature('test-auth-token-0123456789', `${PUBLIC_URL}/twilio/sms`, params) });
    expect(tampered.statusCode).toBe(403);
    // signed with another account's token
    expect((await signedPost(app, '/twilio/sms', params, { token: 'someone-elses-token' })).statusCode).toBe(403);
    // signed for the URL the process sees instead of the public one
    const local = (await import('twilio')).default.getExpectedTwilioSignature('test-auth-token-0123456789', 'http://localhost:3000/twilio/sms', params);
    expect((await signedPost(app, '/twilio/sms', params, { signature: local })).statusCode).toBe(403);
    expect(await count(app, 'messages')).toBe(0);
    expect(await count(app, 'customers')).toBe(0);
    // and the status callback too
    expect((await app.inject({ method: 'POST', url: '/twilio/sms/status', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'MessageSid=SM1&MessageStatus=delivered' })).statusCode).toBe(403);
  });

  it('the same MessageSid twice is stored and answered once', async () => {
    const { app } = await setup();
    const params = smsParams(GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    const first = await signedPost(app, '/twilio/sms', params);
    const again = await signedPost(app, '/twilio/sms', params);
    expect(smsReplies(first.body)).toHaveLength(1);
    expect(again.statusCode).toBe(200);
    expect(smsReplies(again.body)).toEqual([]);
    const customerMessages = await app.store.db.selectFrom('messages').selectAll().where('author', '=', 'customer').execute();
    expect(customerMessages).toHaveLength(1);
    expect(customerMessages[0].external_id).toBe(params.MessageSid);
  });

  it('the same MessageSid twice at the same moment is stored once too (the unique index decides)', async () => {
    const { app } = await setup();
    const params = smsParams(GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
    // a first message opens the conversation, so both retries race inside it
    await sms(app, GERMAN_MOBILE, 'Hallo');
    const [a, b] = await Promise.all([signedPost(app, '/twilio/sms', params), signedPost(app, '/twilio/sms', params)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(smsReplies(a.body).length + smsReplies(b.body).length).toBe(1);
    const stored = await app.store.db.selectFrom('messages').selectAll().where('external_id', '=', params.MessageSid).execute();
    expect(stored).toHaveLength(1);
  });

  it('without TWILIO_* settings SMS and voice are off, with one log line that says how to turn them on', async () => {
    const { Writable } = await import('node:stream');
    const { buildApp } = await import('../server/app.js');
    const { testConfig } = await import('../server/config.js');
    const { createLogger } = await import('../server/logger.js');
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    const config = testConfig({ LOG_LEVEL: 'info', DATABASE_URL: `sqlite:${path.join(tempDir(), 'off.sqlite')}` });
    const app = await buildApp(config, { logger: createLogger(config, destination) });
    try {
      await app.ready();
      expect((await app.inject({ method: 'POST', url: '/twilio/sms', payload: {} })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/twilio/voice', payload: {} })).statusCode).toBe(404);
      const off = lines.filter((line) => line.includes('SMS and voice are off'));
      expect(off).toHaveLength(1);
      expect(off[0]).toContain('set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER');
    } finally {
      await app.close();
    }
  });
});

describe('hand-over and agent replies by SMS', () => {
  it('AGENT hands over; agent replies go out through the Twilio REST API, a 500 is retried, a permanent error is shown to the agent', async () => {
    const { app, clock, twilio } = await setup();
    // what the agents' live stream is told about deliveries
    const deliveries: Array<{ state: string; error: string | null }> = [];
    app.bus.subscribe('*', (event) => event.type === 'delivery' && deliveries.push({ state: event.state, error: event.error }));
    const annaAgent = await addAgent(app, 'anna', 'Anna');
    await agentOnline(app, annaAgent.id);
    const [handedOver] = await sms(app, GERMAN_MOBILE, 'AGENT');
    expect(handedOver).toContain('Ich gebe Sie an einen Kollegen weiter');
    expect(handedOver).toContain('Position 1 der Warteschlange');
    const anna = await logIn(app, 'anna');
    const queue = (await anna.get('/api/agent/queue')).json().conversations;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ channel: 'sms', reason: 'customer_request', customer: { identities: [{ kind: 'phone', value: GERMAN_MOBILE }] } });
    const id = queue[0].id;

    twilio.failNext({ status: 500, code: 20500, message: 'Internal Server Error' });
    expect((await anna.post(`/api/agent/conversations/${id}/claim`)).statusCode).toBe(200);
    // "Anna ist jetzt für Sie da." met the 500 and waits for its retry
    await vi.waitFor(() => expect(twilio.requests).toHaveLength(1));
    expect((await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'Hallo, ich schaue nach.' })).statusCode).toBe(200);
    await vi.waitFor(() => expect(twilio.sent.map((s) => s.body)).toEqual(['Hallo, ich schaue nach.']));
    expect(twilio.sent[0]).toMatchObject({ to: GERMAN_MOBILE, from: '+4930901820', statusCallback: `${PUBLIC_URL}/twilio/sms/status` });

    clock.current = new Date(clock.current.getTime() + 15 * 60_000);
    await app.outbox.worker.drain();
    expect(twilio.sent.map((s) => s.body)).toEqual(['Hallo, ich schaue nach.', 'Anna ist jetzt für Sie da.']);

    // Twilio reports delivery
    const delivered = await signedPost(app, '/twilio/sms/status', { MessageSid: twilio.sent[0].sid, MessageStatus: 'delivered', AccountSid: 'x' });
    expect(delivered.statusCode).toBe(204);

    // a permanent error: failed at once, with the reason, and not retried
    twilio.failNext({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'Noch da?' });
    const detail = async () => (await anna.get(`/api/agent/conversations/${id}`)).json();
    await vi.waitFor(async () => expect((await detail()).messages.at(-1)).toMatchObject({ text: 'Noch da?', deliveryState: 'failed' }));
    const messages = (await detail()).messages;
    expect(messages.at(-1).deliveryError).toBe('Twilio 21211: not a valid phone number');
    expect(messages.find((m: any) => m.text === 'Hallo, ich schaue nach.')).toMatchObject({ deliveryState: 'delivered' });
    expect(messages.find((m: any) => m.text === 'Anna ist jetzt für Sie da.')).toMatchObject({ deliveryState: 'sent' });
    clock.current = new Date(clock.current.getTime() + 60 * 60_000);
    await app.outbox.worker.drain();
    expect(twilio.requests.filter((r) => r.Body === 'Noch da?')).toHaveLength(1);
    expect(deliveries).toEqual([
      { state: 'sent', error: null },
      { state: 'sent', error: null },
      { state: 'delivered', error: null },
      { state: 'failed', error: 'Twilio 21211: not a valid phone number' },
    ]);
  });

  it('STOP gets no reply, and a later agent SMS to that customer fails visibly instead of being sent', async () => {
    const { app, twilio } = await setup();
    await sms(app, GERMAN_MOBILE, 'MENSCH');
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const [{ id }] = (await anna.get('/api/agent/queue')).json().conversations;
    await anna.post(`/api/agent/conversations/${id}/claim`);
    await vi.waitFor(() => expect(twilio.sent).toHaveLength(1));

    expect(await sms(app, GERMAN_MOBILE, 'STOP')).toEqual([]);
    expect(await sms(app, GERMAN_MOBILE, 'Stopp')).toEqual([]);
    await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'Darf ich noch etwas fragen?' });
    await vi.waitFor(async () => {
      const last = (await anna.get(`/api/agent/conversations/${id}`)).json().messages.at(-1);
      expect(last).toMatchObject({ text: 'Darf ich noch etwas fragen?', deliveryState: 'failed' });
      expect(last.deliveryError).toMatch(/opted out/);
    });
    expect(twilio.requests.map((r) => r.Body)).not.toContain('Darf ich noch etwas fragen?');
    // the agent sees the STOP in the transcript
    expect((await anna.get(`/api/agent/conversations/${id}`)).json().messages.some((m: any) => m.author === 'customer' && m.text === 'STOP')).toBe(true);

    // START subscribes again
    expect(await sms(app, GERMAN_MOBILE, 'START')).toEqual([]);
    await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'Willkommen zurück' });
    await vi.waitFor(() => expect(twilio.sent.map((s) => s.body)).toContain('Willkommen zurück'));
  });
});

describe('SMS on PostgreSQL', () => {
  it('a question, a hand-over and an agent reply through the outbox, with the status callback', async (ctx) => {
    const { skipWithoutPostgres, openPostgresStore } = await import('./helpers/services.js');
    if (await skipWithoutPostgres()) return ctx.skip();
    const { buildApp } = await import('../server/app.js');
    const { testConfig } = await import('../server/config.js');
    const twilio = await startFakeTwilio();
    fakes.push(twilio);
    const store = await openPostgresStore();
    const app = await buildApp(testConfig({ ...twilioEnv(twilio), INITIAL_ADMIN_PASSWORD: 'x', OPENING_HOURS: 'mon-sun 00:00-24:00' }), { store });
    try {
      await app.ready();
      const [answer] = await sms(app, GERMAN_MOBILE, 'Wie ändere ich mein Passwort?');
      expect(answer).toMatch(/\/s\/[\w-]{7}\n/);
      await sms(app, GERMAN_MOBILE, 'MENSCH');
      await addAgent(app, 'anna', 'Anna');
      const anna = await logIn(app, 'anna');
      const [{ id }] = (await anna.get('/api/agent/queue')).json().conversations;
      await anna.post(`/api/agent/conversations/${id}/claim`);
      await anna.post(`/api/agent/conversations/${id}/reply`, { text: 'Hallo aus PostgreSQL' });
      await vi.waitFor(() => expect(twilio.sent.map((s) => s.body)).toContain('Hallo aus PostgreSQL'));
      const sid = twilio.sent.find((s) => s.body === 'Hallo aus PostgreSQL')!.sid;
      expect((await signedPost(app, '/twilio/sms/status', { MessageSid: sid, MessageStatus: 'delivered' })).statusCode).toBe(204);
      const messages = (await anna.get(`/api/agent/conversations/${id}`)).json().messages;
      expect(messages.find((m: any) => m.text === 'Hallo aus PostgreSQL')).toMatchObject({ deliveryState: 'delivered' });
    } finally {
      await app.close();
      await store.close();
    }
  });
});
