// npm run simulate -- sms <from> "<text>"   sends a correctly signed SMS webhook to a running server, prints the reply
// npm run simulate -- call <from>           plays a call in the terminal: prints what would be said; type speech,
//                                            digits (e.g. 2 or 0), or an empty line for silence
// Signs as Twilio does (PUBLIC_URL + path, TWILIO_AUTH_TOKEN, or the development default when unset) and
// sends to SIMULATE_URL (default http://localhost:$PORT). A development tool: it uses the dev dependency fast-xml-parser.
import readline from 'node:readline/promises';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { XMLParser } from 'fast-xml-parser';

export const DEVELOPMENT_AUTH_TOKEN = 'dev-auth-token';
const DEVELOPMENT_NUMBER = '+4930901820';

const env = process.env;
const port = env.PORT || '3000';
const target = (env.SIMULATE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
const authToken = env.TWILIO_AUTH_TOKEN || DEVELOPMENT_AUTH_TOKEN;
const ourNumber = env.TWILIO_PHONE_NUMBER || DEVELOPMENT_NUMBER;
const accountSid = env.TWILIO_ACCOUNT_SID || 'AC' + '0'.repeat(32);
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, attributeNamePrefix: '@', isArray: (name) => ['Message', 'Say', 'Gather'].includes(name) });

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

async function post(path: string, params: Record<string, string>): Promise<any> {
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicUrl}${path}`, params);
  let res: Response;
  try {
    res = await fetch(`${target}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  } catch (error) {
    throw new Error(`cannot reach the server at ${target} (${(error as Error).message}); start it with npm start, or set SIMULATE_URL`);
  }
  const body = await res.text();
  if (res.status === 404) throw new Error(`${path} is not there: SMS and voice are off on the server. Start it with TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER set (see README, "Simulator").`);
  if (res.status === 403) throw new Error(`the server refused the signature: sign with its TWILIO_AUTH_TOKEN and PUBLIC_URL (signed for ${publicUrl}${path})`);
  if (res.status >= 400) throw new Error(`HTTP ${res.status}: ${body}`);
  return parser.parse(body).Response ?? {};
}

const textOf = (node: any): string => (typeof node === 'string' ? node : String(node?.['#text'] ?? ''));

async function simulateSms(from: string, text: string): Promise<void> {
  const response = await post('/twilio/sms', { MessageSid: sid('SM'), AccountSid: accountSid, From: from, To: ourNumber, Body: text, NumMedia: '0' });
  const messages: string[] = (response.Message ?? []).map(textOf);
  if (messages.length === 0) console.log('(no reply)');
  for (const message of messages) console.log(`${message}\n`);
}

async function simulateCall(from: string): Promise<void> {
  const callSid = sid('CA');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let response = await post('/twilio/voice', { CallSid: callSid, AccountSid: accountSid, From: from, To: ourNumber, CallStatus: 'ringing' });
  for (;;) {
    const gather = response.Gather?.[0];
    for (const say of [...(response.Say ?? []), ...(gather?.Say ?? [])]) console.log(`🔊 ${textOf(say)}`);
    if (response.Dial) console.log(`📞 transferred to ${textOf(response.Dial)}`);
    if (response.Enqueue) console.log(`📞 waiting in the queue "${textOf(response.Enqueue)}" for a person`);
    if (!gather) break;
    process.stdout.write('> ');
    const next = await lines.next();
    const input = next.done ? '' : next.value.trim();
    const action = new URL(gather['@action']);
    const params: Record<string, string> = { CallSid: callSid, AccountSid: accountSid, From: from, To: ourNumber };
    if (/^[0-9*#]+$/.test(input)) params.Digits = input;
    else if (input) Object.assign(params, { SpeechResult: input, Confidence: '0.9' });
    response = await post(action.pathname + action.search, params);
    if (next.done && !input && !response.Gather) break;
  }
  if (response.Hangup !== undefined) console.log('📞 the call ended');
  await post('/twilio/voice/status', { CallSid: callSid, AccountSid: accountSid, CallStatus: 'completed' }).catch(() => {});
  rl.close();
}

const [mode, from, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run simulate -- sms <+number> "<text>"   |   npm run simulate -- call <+number>';
try {
  if (mode === 'sms' && from && rest.length) await simulateSms(from, rest.join(' '));
  else if (mode === 'call' && from) await simulateCall(from);
  else {
    console.error(usage);
    process.exit(2);
  }
} catch (error) {
  console.error(`simulate: ${(error as Error).message}`);
  process.exit(1);
}
