// At start: open the database and prove it takes a write, or stop with a message that names the setting to
// fix (DATA_DIR for the default SQLite file, else DATABASE_URL). A server that starts on a database it cannot
// write would look healthy and answer every chat message with a 500.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { openStore, type Store } from './database.js';

export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The database as an operator names it: the file, or the URL without its password. */
function describe(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length);
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the DATABASE_URL database';
  }
}

/**
 * Opens the store named by config.databaseUrl and checks that it accepts a write. `databaseUrlSet` says
 * whether DATABASE_URL was given (then the message names it) or the file is the default under DATA_DIR.
 */
export async function openWritableStore(config: Config, databaseUrlSet: boolean): Promise<Store> {
  const setting = databaseUrlSet ? `DATABASE_URL (${describe(config.databaseUrl)})` : `DATA_DIR (${config.dataDir})`;
  const fix = config.databaseUrl.startsWith('sqlite:')
    ? `Set ${databaseUrlSet ? 'DATABASE_URL to a SQLite file' : 'DATA_DIR to a directory'} this user can write, or make it writable.`
    : 'Check that the database user may write to this database (not a read-only replica or role).';

  const file = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.slice('sqlite:'.length) : undefined;
  if (file && file !== ':memory:') {
    // SQLite creates its journal files next to the database: the folder must take a new file, not only the database
    const folder = path.dirname(path.resolve(file));
    const probe = path.join(folder, `.write-check-${process.pid}`);
    try {
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(probe, '');
      fs.rmSync(probe, { force: true });
    } catch (error) {
      throw new StorageError(`Cannot write the database folder ${folder} named by ${setting}: ${(error as Error).message}. ${fix}`);
    }
  }

  let store: Store;
  try {
    store = await openStore(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  } catch (error) {
    throw new StorageError(`Cannot open the database named by ${setting}: ${(error as Error).message}. ${fix}`);
  }
  const problem = await store.writeProblem();
  if (problem) {
    await store.close();
    throw new StorageError(`The database named by ${setting} refuses writes: ${problem}. ${fix}`);
  }
  return store;
}
