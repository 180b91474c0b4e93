// Phone numbers as identities: E.164 only, parsed by libphonenumber-js; and the language a number suggests.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 form of a number Twilio sent (already international), or undefined when it is not a valid number. */
export function toE164(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const parsed = parsePhoneNumberFromString(raw.trim());
  // possible rather than valid: the metadata lags behind new number ranges, and Twilio only sends real numbers
  return parsed?.isPossible() ? parsed.number : undefined;
}

const GERMAN_SPEAKING = new Set(['49', '43', '41']);

/** de for +49, +43 and +41 (when the KB has German), else undefined: the bot then detects the language. */
export function localeFromNumber(e164: string, locales: string[]): string | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed && GERMAN_SPEAKING.has(parsed.countryCallingCode) && locales.includes('de')) return 'de';
  return undefined;
}

/** The locale of a conversation on our number: configured, else from the caller's number, else none (detect). */
export function channelLocale(configured: string | undefined, from: string, locales: string[]): string | undefined {
  if (configured && locales.includes(configured)) return configured;
  return localeFromNumber(from, locales);
}
