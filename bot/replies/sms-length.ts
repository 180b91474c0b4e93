// How many SMS segments a text costs. GSM-7 when every character is in the GSM 03.38 alphabet
// (extension characters such as € or [ cost two septets), else UCS-2, where one emoji or "ő" makes the
// whole message UCS-2 and halves the room: 160/153 septets per segment against 70/67 UTF-16 units.

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

// Typographic characters with a GSM-7 twin: written as the twin, so „quotes“ alone never make a message
// UCS-2 (what Twilio's "smart encoding" does, done here so our segment count is what the phone gets).
const GSM_TWINS: Record<string, string> = {
  '„': '"', '“': '"', '”': '"', '‟': '"', '«': '"', '»': '"', '‚': "'", '‘': "'", '’': "'", '‹': "'", '›': "'",
  '–': '-', '—': '-', '‐': '-', '‑': '-', '…': '...', '\u00a0': ' ', '\u202f': ' ', '•': '-', '→': '->',
};

export function gsmTwins(text: string): string {
  return text.replace(/[„“”‟«»‚‘’‹›–—‐‑…\u00a0\u202f•→]/g, (char) => GSM_TWINS[char] ?? char);
}

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!GSM_BASIC.includes(char) && !GSM_EXTENDED.includes(char)) return 'UCS-2';
  return 'GSM-7';
}

/** Length in the units of the encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
export function smsUnits(text: string, encoding: SmsEncoding = smsEncoding(text)): number {
  if (encoding === 'UCS-2') return text.length;
  let units = 0;
  for (const char of text) units += GSM_EXTENDED.includes(char) ? 2 : 1;
  return units;
}

export function smsSegments(text: string): { encoding: SmsEncoding; units: number; segments: number } {
  const encoding = smsEncoding(text);
  const units = smsUnits(text, encoding);
  const [single, multi] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  return { encoding, units, segments: units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / multi) };
}

/** The most units `segments` segments hold in this encoding. */
export function smsCapacity(encoding: SmsEncoding, segments: number): number {
  if (segments <= 1) return encoding === 'GSM-7' ? 160 : 70;
  return segments * (encoding === 'GSM-7' ? 153 : 67);
}

/**
 * `lead`, shortened at a word boundary with "…" so that `lead + tail` fits `segments` segments;
 * `tail` (the link and the question) is never cut. The encoding is that of the whole message.
 */
export function fitSms(lead: string, tail: string, segments = 2): string {
  const whole = lead + tail;
  if (smsSegments(whole).segments <= segments) return whole;
  // "…" is not GSM-7: use "..." when the rest is GSM-7, so shortening never switches to UCS-2
  const ellipsis = smsEncoding(whole) === 'GSM-7' ? '...' : '…';
  const encoding = smsEncoding(whole + ellipsis);
  const room = smsCapacity(encoding, segments) - smsUnits(tail + ellipsis, encoding);
  const words = lead.split(/(\s+)/);
  let kept = '';
  for (const word of words) {
    if (smsUnits(kept + word, encoding) > room) break;
    kept += word;
  }
  kept = kept.replace(/[\s,;:.-]+$/, '');
  return kept ? kept + ellipsis + tail : tail.trimStart();
}
