// How long a failed delivery waits before the next attempt: exponential from a base, capped, with
// "equal jitter" so instances that failed together do not all retry in the same second. A Retry-After
// from the provider wins (capped too): it knows when it will take the message.

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1; injectable so tests are exact */
  random?: () => number;
}

export const DEFAULT_BASE_MS = 2_000;
export const DEFAULT_MAX_MS = 10 * 60_000;

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | undefined, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BASE_MS;
  const max = options.maxMs ?? DEFAULT_MAX_MS;
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(max, Math.ceil(retryAfterSeconds * 1000));
  }
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Retry-After as seconds: a number of seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: Date): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now.getTime()) / 1000);
}
