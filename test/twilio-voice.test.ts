// Phone calls through Twilio: a scripted call against the real app, TwiML parsed as XML and checked for its
// verbs and attributes, the SMS of "press 2" through the fake Twilio REST API, and the agent's view.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appsPerTest } from './helpers/app.js';
import { addAgent, logIn } from './helpers/agents.js';
import { OUR_NUMBER, parseTwiml, signedPost, smsParams, startFakeTwilio, twilioEnv, type FakeTwilio } from './helpers/fake-twilio.js';
import { speakable, wordCount } from '../bot/replies/speech.js';

const MONDAY_MORNING = new Date('2026-11-23T09:00:00Z');
const SATURDAY_EVENING = new Date('2026-11-21T17:00:00Z');
const CALLER = '+4915112345678';
const AGENT_PHONE = '+4930901821';

const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });
let fakes: FakeTwilio[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

async function setup(at = MONDAY_MORNING, env: Record<string, string> = {}) {
  const twilio = await startFakeTwilio();
  fakes.push(twilio);
  const { app } = await start(at, twilioEnv(twilio, env));
  return { app, twilio };
}

let calls = 0;
function callSid() {
  return `CA${String(++calls).padStart(32, '0')}`;
}

/** Posts a Twilio voice webhook and returns its TwiML parsed. */
async function step(app: FastifyInstance, url: string, params: Record<string, string>) {
  const res = await signedPost(app, url, params);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/xml/);
  return parseTwiml(res.body).Response;
}

function said(node: any): string {
  return (node?.Say ?? []).map((s: any) => (typeof s === 'string' ? s : s['#text'])).join(' ');
}

/** The path (with query) of a Gather's action, for the next step. */
function actionOf(gather: any): string {
  return new URL(gather['@action']).pathname + new URL(gather['@action']).search;
}

describe('a call', () => {
  it('greeting -> German question -> spoken answer -> press 2 (SMS with the link) -> press 0 (transfer), and the call is in the agent queue with its IVR transcript', async () => {
    const { app, twilio } = await setup(MONDAY_MORNING, { AGENT_PHONE_NUMBER: AGENT_PHONE });
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER, CallStatus: 'ringing' });
    const [g1] = greeting.Gather;
    expect(g1).toMatchObject({ '@input': 'speech dtmf', '@language': 'de-DE', '@speechTimeout': '2', '@speechModel': 'phone_call', '@actionOnEmptyResult': 'true', '@method': 'POST' });
    expect(g1['@enhanced']).toBeUndefined(); // deprecated by Twilio
    expect(g1['@hints']).toContain('Ich habe mein Passwort vergessen');
    expect(g1.Say[0]['@voice']).toBe('Polly.Vicki-Neural');
    expect(said(g1)).toContain('Stellen Sie Ihre Frage, oder drücken Sie die 0 für einen Mitarbeiter.');

    const answer = await step(app, actionOf(g1), { CallSid: sid, SpeechResult: 'Wie ändere ich mein Passwort?', Confidence: '0.91' });
    const [g2] = answer.Gather;
    const spoken = said(g2);
    expect(spoken).toMatch(/^Klicken Sie bei der Anmeldung auf Passwort vergessen\? Wir schicken Ihnen einen Link, mit dem Sie 60 Minuten lang ein neues Passwort setzen können\./);
    expect(spoken).toContain('Drücken Sie die 2, und wir schicken Ihnen den Link per SMS.');
    expect(spoken).not.toMatch(/https?:|\/s\/|[„“*#]/);

    const texted = await step(app, actionOf(g2), { CallSid: sid, Digits: '2' });
    expect(said(texted.Gather[0])).toContain('Wir haben Ihnen den Link per SMS geschickt.');
    await vi.waitFor(() => expect(twilio.sent).toHaveLength(1));
    expect(twilio.sent[0]).toMatchObject({ to: CALLER, from: OUR_NUMBER });
    expect(twilio.sent[0].body).toMatch(/^Ich habe mein Passwort vergessen: https:\/\/support\.example\.com\/s\/[\w-]{7}$/);

    const transfer = await step(app, actionOf(texted.Gather[0]), { CallSid: sid, Digits: '0' });
    expect(transfer.Gather).toBeUndefined();
    expect(said(transfer)).toContain('Ich verbinde Sie mit einem Kollegen');
    expect(transfer.Dial).toMatchObject({ '#text': AGENT_PHONE, '@callerId': OUR_NUMBER });

    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const [queued] = (await anna.get('/api/agent/queue')).json().conversations;
    expect(queued).toMatchObject({ channel: 'voice', status: 'queued', reason: 'voice_transfer', firstQuestion: 'Wie ändere ich mein Passwort?' });
    const detail = (await anna.get(`/api/agent/conversations/${queued.id}`)).json();
    const transcript = detail.messages.filter((m: any) => !m.internal);
    expect(transcript.map((m: any) => m.author)).toEqual(['bot', 'customer', 'bot', 'customer', 'bot', 'bot', 'customer', 'bot']);
    expect(transcript[1]).toMatchObject({ text: 'Wie ändere ich mein Passwort?', input: { kind: 'speech', confidence: 0.91 } });
    expect(transcript[2].articles[0].id).toBe('reset-password');
    expect(transcript[3]).toMatchObject({ text: '2', input: { kind: 'digits' } });
    expect(transcript[4]).toMatchObject({ deliveryState: 'sent' });
    expect(transcript[6]).toMatchObject({ text: '0', action: 'handoff', input: { kind: 'digits' } });

    // how the call ended
    const status = await signedPost(app, '/twilio/voice/status', { CallSid: sid, CallStatus: 'completed', CallDuration: '95' });
    expect(status.statusCode).toBe(204);
    const records = (await anna.get(`/api/agent/conversations/${queued.id}`)).json().messages.filter((m: any) => m.internal).map((m: any) => m.text);
    expect(records).toContain('Call ended: transferred (completed, 95 s)');

    // after the call: the agent's written answer reaches the caller by SMS, the "has joined" notice does not
    expect((await anna.post(`/api/agent/conversations/${queued.id}/claim`)).statusCode).toBe(200);
    expect((await anna.post(`/api/agent/conversations/${queued.id}/reply`, { text: 'Hier noch der Link zum Formular.' })).statusCode).toBe(200);
    await vi.waitFor(() => expect(twilio.sent.map((m) => m.body)).toContain('Hier noch der Link zum Formular.'));
    expect(twilio.sent).toHaveLength(2);
    const joined = (await anna.get(`/api/agent/conversations/${queued.id}`)).json().messages.find((m: any) => m.text === 'Anna ist jetzt für Sie da.');
    expect(joined.deliveryState).toBeUndefined();
  });

  it('an uncertain answer becomes a keypad menu, a key picks one; "nein" after the answer hands the call over', async () => {
    const { app } = await setup();
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    const menu = await step(app, actionOf(greeting.Gather[0]), { CallSid: sid, SpeechResult: 'Bestellung', Confidence: '0.8' });
    const offered = said(menu.Gather[0]);
    expect(offered).toMatch(/^Ich habe mehrere Artikel gefunden\. Für .+ drücken Sie die 1\. Für (.+) drücken Sie die 2\. (Für .+ drücken Sie die 3\. )?Drücken Sie die 0 für einen Mitarbeiter\.$/);
    const second = /Für ([^.]+?) drücken Sie die 2\./.exec(offered)![1];
    const answer = await step(app, actionOf(menu.Gather[0]), { CallSid: sid, Digits: '2' });
    const answered = await app.store.db.selectFrom('messages').select('payload').where('author', '=', 'bot').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(answered.payload!).articles[0].title).toBe(second);
    const transfer = await step(app, actionOf(answer.Gather[0]), { CallSid: sid, SpeechResult: 'nein', Confidence: '0.7' });
    expect(said(transfer)).toContain('Schade, dass das nicht geholfen hat. Ich verbinde Sie mit einem Kollegen');
    expect(transfer.Enqueue).toBeDefined();
    const conversation = await app.store.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ status: 'queued', escalation_reason: 'voice_transfer' });
  });

  it('a call step Twilio retries (same I-Twilio-Idempotency-Token) is stored and answered once', async () => {
    const { app } = await setup();
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    const params = { CallSid: sid, SpeechResult: 'Wie ändere ich mein Passwort?', Confidence: '0.9' };
    const headers = { 'i-twilio-idempotency-token': 'b7f1c2d4-retry' };
    const first = await signedPost(app, actionOf(greeting.Gather[0]), params, { headers });
    const again = await signedPost(app, actionOf(greeting.Gather[0]), params, { headers });
    expect(again.statusCode).toBe(200);
    expect(said(parseTwiml(again.body).Response.Gather[0])).toBe(said(parseTwiml(first.body).Response.Gather[0]));
    const asked = await app.store.db.selectFrom('messages').selectAll().where('author', '=', 'customer').execute();
    expect(asked.map((m) => m.text)).toEqual(['Wie ändere ich mein Passwort?']);
    expect(await app.store.db.selectFrom('messages').selectAll().where('author', '=', 'bot').execute()).toHaveLength(2);
  });

  it('without AGENT_PHONE_NUMBER the caller waits in the Twilio queue with a hold message', async () => {
    const { app } = await setup();
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    const transfer = await step(app, actionOf(greeting.Gather[0]), { CallSid: sid, Digits: '0' });
    expect(transfer.Enqueue['#text']).toBe('support');
    const wait = await step(app, new URL(transfer.Enqueue['@waitUrl']).pathname + new URL(transfer.Enqueue['@waitUrl']).search, { CallSid: sid });
    expect(said(wait)).toContain('Bitte bleiben Sie dran');
  });

  it('no input: asked again once, then handed to a person', async () => {
    const { app } = await setup();
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: '+447911123456', To: OUR_NUMBER });
    expect(greeting.Gather[0]['@language']).toBe('en-US');
    const again = await step(app, actionOf(greeting.Gather[0]), { CallSid: sid });
    expect(said(again.Gather[0])).toBe("Sorry, I didn't catch that. Ask your question, or press 0 for a person.");
    const transfer = await step(app, actionOf(again.Gather[0]), { CallSid: sid });
    expect(transfer.Enqueue).toBeDefined();
    const conversation = await app.store.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ status: 'queued', escalation_reason: 'voice_transfer' });
  });

  it('outside opening hours the caller is offered a callback; pressing 1 queues the conversation with reason callback', async () => {
    const { app } = await setup(SATURDAY_EVENING);
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    const offer = await step(app, actionOf(greeting.Gather[0]), { CallSid: sid, Digits: '0' });
    expect(offer.Enqueue).toBeUndefined();
    expect(offer.Dial).toBeUndefined();
    expect(offer.Gather[0]).toMatchObject({ '@input': 'dtmf', '@numDigits': '1' });
    expect(said(offer.Gather[0])).toMatch(/Unser Team ist gerade nicht da\. Wir sind ab Montag, 23\. November um 08:00 Uhr wieder erreichbar\. Drücken Sie die 1, und wir rufen Sie unter dieser Nummer zurück\./);
    const done = await step(app, actionOf(offer.Gather[0]), { CallSid: sid, Digits: '1' });
    expect(said(done)).toContain('Wir rufen Sie unter dieser Nummer zurück');
    expect(done.Hangup).toBeDefined();
    const conversation = await app.store.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ status: 'queued', escalation_reason: 'callback', callback_contact: CALLER });
  });

  it('a caller who hangs up during the IVR is recorded as abandoned', async () => {
    const { app } = await setup();
    const sid = callSid();
    await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    await signedPost(app, '/twilio/voice/status', { CallSid: sid, CallStatus: 'completed', CallDuration: '7' });
    const records = await app.store.db.selectFrom('messages').select('text').where('internal', '=', 1).execute();
    expect(records.map((r) => r.text)).toContain('Call ended: abandoned (completed, 7 s)');
  });

  it('unsigned voice webhooks are refused', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'POST', url: '/twilio/voice', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `CallSid=${callSid()}&From=%2B4915112345678` });
    expect(res.statusCode).toBe(403);
    expect(await app.store.db.selectFrom('conversations').selectAll().execute()).toEqual([]);
  });
});

describe('one customer across SMS and phone', () => {
  it('an SMS and a call from the same number are one customer, with both conversations in the console', async () => {
    const { app } = await setup();
    await signedPost(app, '/twilio/sms', smsParams(CALLER, 'MENSCH'));
    const sid = callSid();
    const greeting = await step(app, '/twilio/voice', { CallSid: sid, From: CALLER, To: OUR_NUMBER });
    await step(app, actionOf(greeting.Gather[0]), { CallSid: sid, Digits: '0' });
    await addAgent(app, 'anna', 'Anna');
    const anna = await logIn(app, 'anna');
    const queue = (await anna.get('/api/agent/queue')).json().conversations;
    expect(queue.map((c: any) => c.channel).sort()).toEqual(['sms', 'voice']);
    expect(new Set(queue.map((c: any) => c.customer.id)).size).toBe(1);
    const voice = queue.find((c: any) => c.channel === 'voice');
    const detail = (await anna.get(`/api/agent/conversations/${voice.id}`)).json();
    expect(detail.customer.identities).toEqual([{ kind: 'phone', value: CALLER }]);
    expect(detail.otherConversations.map((c: any) => c.channel)).toEqual(['sms']);
  });
});

describe('speech for the ear', () => {
  it('prices, abbreviations, dates and times are readable aloud; no URLs or markdown; at most about 40 words', () => {
    expect(speakable('Der Versand kostet **4,90 €**, z. B. nach Österreich.', 'de')).toBe('Der Versand kostet 4 Euro 90, zum Beispiel nach Österreich.');
    expect(speakable('Shipping is €4.90, e.g. to Austria; see https://example.com/help.', 'en')).toBe('Shipping is 4 euros 90, for example to Austria; see.');
    expect(speakable('Wir sind am 24.12.2026 bis 14:00 Uhr da, ca. 3-5 Tage.', 'de')).toBe('Wir sind am 24. Dezember 2026 bis 14 Uhr da, circa 3 bis 5 Tage.');
    const long = Array.from({ length: 12 }, (_, i) => `Satz ${i + 1} hat fünf Wörter.`).join(' ');
    expect(wordCount(speakable(long, 'de'))).toBeLessThanOrEqual(40);
    expect(speakable(long, 'de')).toMatch(/\.$/);
  });
});
