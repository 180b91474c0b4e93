// A fake Twilio REST API on loopback: a real HTTP server that records every messages.create and answers
// with whatever the test queued (default: 201 with a new MessageSid). Plus signing helpers that sign
// webhooks exactly as Twilio does, with the twilio package's own function.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';

export const ACCOUNT_SID = 'AC' + '0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'test-auth-token-0123456789';
export const OUR_NUMBER = '+4930901820';
export const PUBLIC_URL = 'https://support.example.com';

export interface SentSms {
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
  sid: string;
}

export interface FakeTwilio {
  url: string;
  /** accepted messages, in order */
  sent: SentSms[];
  /** every request's form, accepted or not */
  requests: Array<Record<string, string>>;
  /** the next responses, in order: a status with a Twilio error body, or 'drop' to cut the connection */
  failNext(...responses: Array<{ status: number; code?: number; message?: string; retryAfter?: string } | 'drop'>): void;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const sent: SentSms[] = [];
  const requests: Array<Record<string, string>> = [];
  const planned: Array<{ status: number; code?: number; message?: string; retryAfter?: string } | 'drop'> = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      if (!/^\/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/.test(req.url ?? '') || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
        return;
      }
      requests.push(form);
      const next = planned.shift();
      if (next === 'drop') return req.socket.destroy();
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...(next.retryAfter ? { 'retry-after': next.retryAfter } : {}) });
        res.end(JSON.stringify({ code: next.code ?? next.status, message: next.message ?? 'error', status: next.status }));
        return;
      }
      const sid = `SM${String(++counter).padStart(32, '0')}`;
      sent.push({ to: form.To, from: form.From, body: form.Body, statusCallback: form.StatusCallback, sid });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From, body: form.Body, account_sid: ACCOUNT_SID }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    requests,
    failNext: (...responses) => void planned.push(...responses),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function twilioEnv(fake: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: OUR_NUMBER, TWILIO_API_URL: fake.url, PUBLIC_URL, ...extra };
}

/** POSTs a webhook signed as Twilio signs it: over PUBLIC_URL + path and the form parameters. */
export function signedPost(app: FastifyInstance, path: string, params: Record<string, string>, options: { signature?: string; token?: string; headers?: Record<string, string> } = {}) {
  const signature = options.signature ?? twilio.getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, `${PUBLIC_URL}${path}`, params);
  return app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...options.headers },
    payload: new URLSearchParams(params).toString(),
  });
}

let sids = 0;
export function smsParams(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  return { MessageSid: `SM${Date.now().toString(16)}${String(++sids).padStart(8, '0')}`, AccountSid: ACCOUNT_SID, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0', ...extra };
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, attributeNamePrefix: '@', isArray: (name) => ['Message', 'Say', 'Gather', 'Play'].includes(name) });

/** TwiML parsed as XML: { Response: { Message?: [...], Gather?: [...], ... } } */
export function parseTwiml(xml: string): any {
  return parser.parse(xml);
}

/** The texts of the <Message> verbs of an SMS reply. */
export function smsReplies(xml: string): string[] {
  const response = parseTwiml(xml).Response;
  return (response?.Message ?? []).map((m: any) => (typeof m === 'string' ? m : String(m['#text'] ?? '')));
}
