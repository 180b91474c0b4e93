// SQLite's lower() and LIKE fold only A-Z, so "MÜLLER" stays "mÜller"; PostgreSQL's lower() folds every letter
// (with a UTF-8 locale such as C.UTF-8 or de_DE.UTF-8). unicode_lower is JavaScript's toLowerCase, registered
// on every SQLite connection the server opens, so case-insensitive searches find the same rows on both.
import type SQLite from 'better-sqlite3';

export const UNICODE_LOWER = 'unicode_lower';

export function registerUnicodeLower(connection: SQLite.Database): void {
  connection.function(UNICODE_LOWER, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}
