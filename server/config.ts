// Every setting of the server, read from the environment once at start.
// A wrong value stops the start with a message that names the variable (README lists them all).
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface OpeningHours {
  /** IANA time zone the hours are written in, e.g. Europe/Berlin. */
  timeZone: string;
  /** Per weekday (0 = Sunday … 6 = Saturday) the open intervals as minutes since midnight. */
  weekly: Array<Array<{ from: number; to: number }>>;
  /** Closed days as YYYY-MM-DD in the time zone. */
  holidays: string[];
}

export interface Config {
  port: number;
  host: string;
  /** Where customers reach us; used for links in replies and for Secure cookies when https. */
  publicUrl: string;
  dataDir: string;
  kbDir: string;
  /** where trained search models are cached by content, so a restart does not retrain */
  kbCacheDir: string;
  /** `sqlite:<file>` (default, under DATA_DIR) or a postgres:// URL. */
  databaseUrl: string;
  /** SQLite durability: full (survives a power cut) or normal (survives a process crash; faster writes) */
  sqliteSynchronous: 'full' | 'normal';
  logLevel: string;
  /** Pretty logs for a terminal; JSON otherwise. */
  logPretty: boolean;
  kbWatch: boolean;
  // --- learned evidence (issue 11) ---
  /** rebuild the search index this often (hours; 0: only on content changes) so that learned questions count */
  kbRelearnHours: number;
  // --- end learned evidence ---
  /** article feedback (help center form and API) one IP may send per minute */
  feedbackPerMinutePerIp: number;
  // --- attachments (issue 13) ---
  /** largest attachment (bytes) a customer or agent may upload; larger gets 413 */
  attachmentMaxBytes: number;
  // --- end attachments ---
  chat: {
    maxTextLength: number;
    /** Messages per minute one conversation may send. */
    messagesPerMinute: number;
    /** Requests per minute one IP may make to the chat API. */
    requestsPerMinutePerIp: number;
  };
  bot: {
    /** Unanswered turns in a row before the bot hands over to a person. */
    missesBeforeEscalation: number;
  };
  agents: {
    sessionTtlHours: number;
    /** Password for the first admin created on an empty database; random and logged once when unset. */
    initialAdminPassword: string | undefined;
    /** Login attempts one IP may make per 15 minutes. */
    loginAttemptsPer15Minutes: number;
  };
  openingHours: OpeningHours;
  // --- TRUST_PROXY (issue 9) ---
  /**
   * Whose X-Forwarded-For to believe for the client address (every per-IP limit keys on it):
   * false (nobody: the socket's address), true (everyone), a hop count, or proxy addresses/CIDRs.
   */
  trustProxy: TrustProxy;
  // --- end TRUST_PROXY ---
  /**
   * IDENTITY_VERIFICATION_SECRET: the secret a host site signs its signed-in users' ids with
   * (hex HMAC-SHA256); unset = the chat accepts no user ids.
   */
  identityVerificationSecret: string | undefined;
  // --- outbox (twilio issue)
  outbox: {
    /** attempts before a transiently failing delivery is given up as failed */
    maxAttempts: number;
    /** how often the worker looks for retries that became due */
    pollSeconds: number;
  };
  // --- Twilio SMS and voice (twilio issue)
  /** null while TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER are not all set: the channels are off */
  twilio: TwilioConfig | null;
  // --- e-mail replies (issue 13)
  email: {
    /** SMTP_URL: where replies go out by e-mail; null = e-mail off */
    smtpUrl: string | null;
    /** EMAIL_FROM: the sender address of those e-mails */
    from: string;
    /** EMAIL_AFTER_IDLE_MINUTES: a customer without a widget socket this long gets agent replies by e-mail too */
    afterIdleMinutes: number;
    /** RESUME_LINK_DAYS: how long the link in a reply e-mail opens its conversation, from when the e-mail was sent */
    resumeLinkDays: number;
  };
  // --- end e-mail replies
  // --- waiting customers (issue 13)
  waiting: {
    /** AGENT_AWAY_AFTER_MINUTES: an agent with the console open but idle this long counts as away */
    agentAwayAfterMinutes: number;
  };
  // --- end waiting customers
  sms: {
    /** an SMS after this many quiet hours opens a new conversation */
    idleHours: number;
  };
  // --- METRICS_TOKEN (issue 12) ---
  /** bearer token for GET /metrics (Prometheus); unset = no /metrics route */
  metricsToken: string | undefined;
  // --- end METRICS_TOKEN ---
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** our number in E.164: SMS come from it, calls arrive on it */
  phoneNumber: string;
  /** REST API base URL (tests, staging); undefined = Twilio's own */
  apiUrl: string | undefined;
  /** the language of this number; undefined = from the caller's country code, else detected */
  locale: string | undefined;
  /** where calls are transferred in opening hours (E.164); undefined = the Twilio queue "support" */
  agentPhoneNumber: string | undefined;
  /** Twilio <Say> voices per language */
  voices: { de: string; en: string };
}

// --- TRUST_PROXY (issue 9) ---
export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (family === 4 && net.isIPv4(prefix)) return true; // a netmask, 255.255.255.0
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: off by default, because a client can write any X-Forwarded-For it likes. */
function trustProxy(env: Env, name: string): TrustProxy {
  const raw = (env[name] ?? '').trim();
  if (raw === '' || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError(name, `as a hop count must be from 1 to 10, got "${raw}"`);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined) {
    throw new ConfigError(name, `must be false, true, a hop count or a comma list of proxy IPs/CIDRs (or loopback, linklocal, uniquelocal), got "${wrong}"`);
  }
  return entries;
}
// --- end TRUST_PROXY ---

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Parses e.g. "mon-fri 08:00-20:00; sat 09:00-16:00" into weekly intervals. */
export function parseOpeningHours(spec: string, name = 'OPENING_HOURS'): OpeningHours['weekly'] {
  const weekly: OpeningHours['weekly'] = DAYS.map(() => []);
  for (const part of spec.split(';').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/i.exec(part);
    if (!match) throw new ConfigError(name, `has an entry "${part}"; write e.g. "mon-fri 08:00-20:00; sat 09:00-16:00"`);
    const first = DAYS.indexOf(match[1].toLowerCase());
    const last = DAYS.indexOf((match[2] ?? match[1]).toLowerCase());
    if (first < 0 || last < 0) throw new ConfigError(name, `has an unknown weekday in "${part}" (use ${DAYS.join(', ')})`);
    const from = minutes(match[3]);
    const to = minutes(match[4]);
    if (!(from < to && to <= 24 * 60)) throw new ConfigError(name, `has an interval that ends before it starts in "${part}"`);
    for (let day = first; ; day = (day + 1) % 7) {
      weekly[day].push({ from, to });
      if (day === last) break;
    }
  }
  return weekly;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new ConfigError(name, `is not a known IANA time zone: "${value}"`);
  }
  return value;
}

function holidays(env: Env, name: string): string[] {
  const raw = env[name] ?? '';
  const days = raw.split(/[,\s]+/).filter(Boolean);
  for (const day of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new ConfigError(name, `must list dates as YYYY-MM-DD separated by commas, got "${day}"`);
  }
  return days;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an http(s) URL, got "${publicUrl}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const kbDir = path.resolve(env.KB_DIR || './kb-content');
  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'support-desk.sqlite')}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// (or sqlite: for a file), got "${databaseUrl}"`);
  }
  const sqliteSynchronous = (env.SQLITE_SYNCHRONOUS || 'full').toLowerCase();
  if (sqliteSynchronous !== 'full' && sqliteSynchronous !== 'normal') throw new ConfigError('SQLITE_SYNCHRONOUS', `must be full or normal, got "${env.SQLITE_SYNCHRONOUS}"`);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  return {
    port,
    host,
    publicUrl,
    dataDir,
    kbDir,
    kbCacheDir: path.resolve(env.KB_CACHE_DIR || path.join(dataDir, 'kb-cache')),
    databaseUrl,
    sqliteSynchronous,
    logLevel,
    logPretty: boolean(env, 'LOG_PRETTY', Boolean(process.stdout.isTTY)),
    kbWatch: boolean(env, 'KB_WATCH', true),
    kbRelearnHours: integer(env, 'KB_RELEARN_HOURS', 24, 0, 24 * 24),
    feedbackPerMinutePerIp: integer(env, 'FEEDBACK_PER_MINUTE_PER_IP', 20, 1, 100_000),
    // --- attachments (issue 13) ---
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 100 * 1024 * 1024),
    // --- end attachments ---
    chat: {
      maxTextLength: integer(env, 'CHAT_MAX_TEXT_LENGTH', 2000, 1, 100_000),
      messagesPerMinute: integer(env, 'CHAT_MESSAGES_PER_MINUTE', 30, 1, 100_000),
      requestsPerMinutePerIp: integer(env, 'CHAT_REQUESTS_PER_MINUTE_PER_IP', 300, 1, 1_000_000),
    },
    bot: {
      missesBeforeEscalation: integer(env, 'BOT_MISSES_BEFORE_ESCALATION', 2, 1, 10),
    },
    agents: {
      sessionTtlHours: integer(env, 'AGENT_SESSION_TTL_HOURS', 12, 1, 24 * 90),
      initialAdminPassword: env.INITIAL_ADMIN_PASSWORD || undefined,
      loginAttemptsPer15Minutes: integer(env, 'AGENT_LOGIN_ATTEMPTS_PER_15_MIN', 10, 1, 100_000),
    },
    openingHours: {
      timeZone: timeZone(env, 'TIME_ZONE', 'Europe/Berlin'),
      weekly: parseOpeningHours(env.OPENING_HOURS || 'mon-fri 08:00-20:00; sat 09:00-16:00'),
      holidays: holidays(env, 'HOLIDAYS'),
    },
    // --- outbox (twilio issue)
    outbox: {
      maxAttempts: integer(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
      pollSeconds: integer(env, 'OUTBOX_POLL_SECONDS', 5, 1, 3600),
    },
    // --- Twilio SMS and voice (twilio issue)
    twilio: twilioConfig(env),
    // --- e-mail replies (issue 13)
    email: emailConfig(env, publicUrl),
    // --- end e-mail replies
    // --- waiting customers (issue 13)
    waiting: {
      agentAwayAfterMinutes: integer(env, 'AGENT_AWAY_AFTER_MINUTES', 10, 1, 24 * 60),
    },
    // --- end waiting customers
    sms: {
      idleHours: integer(env, 'SMS_CONVERSATION_IDLE_HOURS', 24, 1, 24 * 90),
    },
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    identityVerificationSecret: identitySecret(env, 'IDENTITY_VERIFICATION_SECRET'),
    metricsToken: metricsToken(env, 'METRICS_TOKEN'),
  };
}

// --- METRICS_TOKEN (issue 12): the metrics name conversations' queue and outbox; no guessable token
function metricsToken(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError(name, `must be at least 16 characters without spaces (e.g. openssl rand -hex 16), got ${raw.length} characters`);
  return raw;
}
// --- end METRICS_TOKEN

// a guessable secret would let anyone sign any user id: demand at least 32 characters
function identitySecret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw new ConfigError(name, `must be at least 32 characters long (e.g. openssl rand -hex 32), got ${raw.length}`);
  return raw;
}

// --- e-mail replies (issue 13)
function emailConfig(env: Env, publicUrl: string): Config['email'] {
  const raw = env.SMTP_URL || null;
  if (raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError('SMTP_URL', 'must be a URL such as smtp://user:password@mail.example.com:587');
    }
    if (!['smtp:', 'smtps:'].includes(url.protocol)) throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps://, got "${url.protocol}//"`);
  }
  const from = env.EMAIL_FROM || `support@${new URL(publicUrl).hostname}`;
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(from) && !/^[^<>]*<[^\s<>@]+@[^\s<>@]+>$/.test(from)) {
    throw new ConfigError('EMAIL_FROM', `must be an e-mail address, e.g. support@example.com or "Support <support@example.com>", got "${from}"`);
  }
  return {
    smtpUrl: raw,
    from,
    afterIdleMinutes: integer(env, 'EMAIL_AFTER_IDLE_MINUTES', 5, 0, 24 * 60),
    resumeLinkDays: integer(env, 'RESUME_LINK_DAYS', 30, 1, 3650),
  };
}
// --- end e-mail replies

// --- Twilio SMS and voice (twilio issue)
const TWILIO_REQUIRED = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER'] as const;

function e164(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const parsed = parsePhoneNumberFromString(raw);
  if (!parsed?.isValid()) throw new ConfigError(name, `must be a phone number in international form, e.g. +4930123456789, got "${raw}"`);
  return parsed.number;
}

function twilioConfig(env: Env): TwilioConfig | null {
  const given = TWILIO_REQUIRED.filter((name) => env[name]);
  if (given.length === 0) return null;
  const missing = TWILIO_REQUIRED.filter((name) => !env[name]);
  if (missing.length) throw new ConfigError(missing[0], `must be set too: SMS and voice need ${TWILIO_REQUIRED.join(', ')} (${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set)`);
  const accountSid = env.TWILIO_ACCOUNT_SID!;
  if (!/^AC[0-9a-zA-Z]{32}$/.test(accountSid)) throw new ConfigError('TWILIO_ACCOUNT_SID', `must be AC followed by 32 letters or digits, got "${accountSid}"`);
  const apiUrl = env.TWILIO_API_URL ? env.TWILIO_API_URL.replace(/\/+$/, '') : undefined;
  if (apiUrl && !/^https?:\/\/[^/]+/.test(apiUrl)) throw new ConfigError('TWILIO_API_URL', `must be an http(s) URL, got "${apiUrl}"`);
  const locale = env.TWILIO_LOCALE || undefined;
  if (locale && !/^[a-z]{2}$/.test(locale)) throw new ConfigError('TWILIO_LOCALE', `must be a language code such as de or en, got "${locale}"`);
  return {
    accountSid,
    authToken: env.TWILIO_AUTH_TOKEN!,
    phoneNumber: e164(env, 'TWILIO_PHONE_NUMBER')!,
    apiUrl,
    locale,
    agentPhoneNumber: e164(env, 'AGENT_PHONE_NUMBER'),
    voices: { de: env.TWILIO_VOICE_DE || 'Polly.Vicki-Neural', en: env.TWILIO_VOICE_EN || 'Polly.Joanna-Neural' },
  };
}

/** One model cache for all tests on this machine (apps and spawned server processes): each KB is trained once, not once per test. */
export const TEST_KB_CACHE_DIR = path.join(os.tmpdir(), 'support-desk-test-kb-cache');

/** A config for tests: defaults, with a temp data dir and whatever the test overrides. */
export function testConfig(overrides: Env = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', KB_WATCH: 'false', LOG_PRETTY: 'false', KB_CACHE_DIR: TEST_KB_CACHE_DIR, ...overrides });
}
