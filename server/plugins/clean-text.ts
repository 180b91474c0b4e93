// Text from outside is made storable once, at the edge: PostgreSQL refuses NUL (U+0000) in text (a 500 and
// a lost message) while SQLite keeps it, and the two store lone UTF-16 surrogates differently. So every
// string in a request's body, query and params loses its NULs and gets U+FFFD for a lone surrogate.

const NUL = /\u0000/g;
// a high surrogate not followed by a low one, or a low one not preceded by a high one (String#toWellFormed, ES2024)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanString(value: string): string {
  return value.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** No request of ours nests deeper than a few levels; far deeper JSON would only exhaust the stack of every walk over it. */
export const MAX_DEPTH = 32;

export class TooDeeplyNestedError extends Error {
  readonly statusCode = 400;
  readonly code = 'Bad Request';
  constructor() {
    super(`Invalid request: JSON nested deeper than ${MAX_DEPTH} levels.`);
  }
}

/**
 * The same value with every string (keys included) cleaned; objects and arrays are copied only when something changed.
 * Throws TooDeeplyNestedError (a 400) past MAX_DEPTH levels.
 */
export function cleanText<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (typeof value === 'object' && value !== null && depth >= MAX_DEPTH) throw new TooDeeplyNestedError();
  if (Array.isArray(value)) {
    let changed = false;
    const cleaned = value.map((item) => {
      const next = cleanText(item, depth + 1);
      if (next !== item) changed = true;
      return next;
    });
    return (changed ? cleaned : value) as T;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    let changed = false;
    const cleaned: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
    for (const [key, item] of Object.entries(value)) {
      const cleanKey = cleanString(key);
      const next = cleanText(item, depth + 1);
      if (cleanKey !== key || next !== item) changed = true;
      cleaned[cleanKey] = next;
    }
    return (changed ? cleaned : value) as T;
  }
  return value;
}
