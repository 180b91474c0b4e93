// The Twilio and outbox settings: off unless all three credentials are set, every wrong value named.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';
import { channelLocale } from '../server/channels/twilio/phone.js';

const SID = 'AC' + 'a'.repeat(32);
const ALL = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token', TWILIO_PHONE_NUMBER: '+49 30 901820' };

describe('Twilio configuration', () => {
  it('is off without credentials, and on with all three (the number in E.164)', () => {
    expect(loadConfig({}).twilio).toBeNull();
    const on = loadConfig({ ...ALL, AGENT_PHONE_NUMBER: '+4930901821', TWILIO_API_URL: 'http://127.0.0.1:9999/' });
    expect(on.twilio).toMatchObject({ accountSid: SID, phoneNumber: '+4930901820', agentPhoneNumber: '+4930901821', apiUrl: 'http://127.0.0.1:9999', voices: { de: 'Polly.Vicki-Neural' } });
    expect(on.sms.idleHours).toBe(24);
    expect(on.outbox).toEqual({ maxAttempts: 8, pollSeconds: 5 });
  });

  it.each([
    [{ TWILIO_ACCOUNT_SID: SID }, /TWILIO_AUTH_TOKEN must be set too: SMS and voice need TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_PHONE_NUMBER/],
    [{ ...ALL, TWILIO_ACCOUNT_SID: 'nope' }, /TWILIO_ACCOUNT_SID must be AC followed by 32/],
    [{ ...ALL, TWILIO_PHONE_NUMBER: '030 901820' }, /TWILIO_PHONE_NUMBER must be a phone number in international form/],
    [{ ...ALL, AGENT_PHONE_NUMBER: '12' }, /AGENT_PHONE_NUMBER must be a phone number/],
    [{ ...ALL, TWILIO_API_URL: 'ftp://x' }, /TWILIO_API_URL must be an http\(s\) URL/],
    [{ ...ALL, TWILIO_LOCALE: 'german' }, /TWILIO_LOCALE must be a language code/],
    [{ SMS_CONVERSATION_IDLE_HOURS: '0' }, /SMS_CONVERSATION_IDLE_HOURS must be a whole number/],
    [{ OUTBOX_MAX_ATTEMPTS: 'many' }, /OUTBOX_MAX_ATTEMPTS must be a whole number/],
    [{ OUTBOX_POLL_SECONDS: '0' }, /OUTBOX_POLL_SECONDS must be a whole number/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('picks the language of a number: configured, else German for +49/+43/+41, else none (the bot detects)', () => {
    expect(channelLocale('en', '+4915112345678', ['de', 'en'])).toBe('en');
    expect(channelLocale(undefined, '+4366412345678', ['de', 'en'])).toBe('de');
    expect(channelLocale(undefined, '+41791234567', ['de', 'en'])).toBe('de');
    expect(channelLocale(undefined, '+447911123456', ['de', 'en'])).toBeUndefined();
    expect(channelLocale(undefined, '+4915112345678', ['en'])).toBeUndefined();
  });
});
