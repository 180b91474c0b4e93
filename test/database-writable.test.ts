// A database the server cannot write: the process refuses to start with a message naming the setting to fix,
// and /readyz answers 503 with the reason when writes start failing while it runs.
//
// Tests run as root here, and root writes through chmod, so "read-only" is made in ways that hold for root:
// - DATA_DIR below a regular file: mkdir fails with ENOTDIR for everyone;
// - a SQLite file whose header says "write version 3" (byte 18): SQLite opens such a file read-only, by its
//   file-format rules (https://sqlite.org/fileformat2.html#file_format_version_numbers), for root too;
// - `PRAGMA query_only = ON` on the running app's connection: every write fails as on a read-only file;
// - PostgreSQL with `default_transaction_read_only=on` in the connection options, as on a hot standby.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp } from '../server/app.js';
import { testConfig, TEST_KB_CACHE_DIR } from '../server/config.js';
import { openStore } from '../server/store/database.js';
import { AgentRepository } from '../server/store/agents.js';
import { openWritableStore, StorageError } from '../server/store/open-writable.js';
import { appsPerTest } from './helpers/app.js';
import { openPostgresStore, POSTGRES_URL, skipWithoutPostgres, tempDir } from './helpers/services.js';

const root = path.resolve(import.meta.dirname, '..');

/** Runs `server/main.ts` as npm start does; resolves with its exit code and output once it exits (or kills it after 25 s). */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_PRETTY: 'false', LOG_LEVEL: 'info', KB_WATCH: 'false', KB_CACHE_DIR: TEST_KB_CACHE_DIR, INITIAL_ADMIN_PASSWORD: 'first-admin-pw', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

/** A migrated SQLite database that SQLite itself will only open read-only (header write version 3). */
async function readOnlySqliteFile(file: string) {
  const store = await openStore(`sqlite:${file}`);
  await store.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.from([3]), 0, 1, 18);
  fs.closeSync(fd);
}

describe('starting on a database that cannot be written', () => {
  it('a DATA_DIR that cannot be created stops the start with a message naming DATA_DIR, not a stack', async () => {
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const dataDir = path.join(blocker, 'data');
    const { code, output } = await runServer({ DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(output).toContain(`DATA_DIR (${dataDir})`);
    expect(output).toMatch(/ENOTDIR/);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
    expect(output).not.toContain('Server listening');
  });

  it('a database file that refuses writes stops the start with a message naming DATA_DIR', async () => {
    const dataDir = tempDir();
    await readOnlySqliteFile(path.join(dataDir, 'support-desk.sqlite'));
    const { code, output } = await runServer({ DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(output).toContain(`The database named by DATA_DIR (${dataDir}) refuses writes`);
    expect(output).toMatch(/readonly/);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('Server listening');
  });

  it('names DATABASE_URL when that is where the database comes from', async () => {
    const file = path.join(tempDir(), 'elsewhere.sqlite');
    await readOnlySqliteFile(file);
    const { code, output } = await runServer({ DATA_DIR: tempDir(), DATABASE_URL: `sqlite:${file}` });
    expect(code).toBe(2);
    expect(output).toContain(`DATABASE_URL (${file}) refuses writes`);
  });
});

describe('/readyz', () => {
  const start = appsPerTest({ INITIAL_ADMIN_PASSWORD: 'x' });

  it('answers 503 with the reason while the database refuses writes, although it still answers reads', async () => {
    const { app } = await start(new Date());
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', kb: true, database: true });

    await sql`PRAGMA query_only = ON`.execute(app.store.db);
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'not ready', kb: true, database: false });
    expect(notReady.json().reason).toMatch(/the database refuses writes: .*readonly/);
    expect(await app.store.ping()).toBe(true); // a `select 1` would still have said ready

    await sql`PRAGMA query_only = OFF`.execute(app.store.db);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('leaves nothing behind: the probe row is rolled back', async () => {
    const { app } = await start(new Date());
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(await app.store.db.selectFrom('write_probe').selectAll().execute()).toEqual([]);
  });
});

describe('on PostgreSQL (a read-only replica or transaction mode)', () => {
  let skip = false;
  beforeAll(async () => {
    skip = await skipWithoutPostgres();
  });

  /** A migrated schema, and a URL that reaches it in read-only mode, as on a hot standby. */
  async function readOnlyPostgres() {
    const store = await openPostgresStore();
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0].schema;
    const url = new URL(POSTGRES_URL);
    url.password = 'secret-password';
    url.searchParams.set('options', `-c search_path=${schema} -c default_transaction_read_only=on`);
    return { store, url: url.toString() };
  }

  it('the start check names DATABASE_URL, without its password', async (ctx) => {
    if (skip) return ctx.skip();
    const { store, url } = await readOnlyPostgres();
    try {
      const config = testConfig({ DATABASE_URL: url });
      const refused = await openWritableStore(config, true).then(() => undefined, (error: Error) => error);
      expect(refused).toBeInstanceOf(StorageError);
      expect(refused!.message).toMatch(/named by DATABASE_URL \(postgres:\/\/postgres:\*\*\*@/);
      expect(refused!.message).toMatch(/read-only transaction/);
      expect(refused!.message).not.toContain('secret-password');
    } finally {
      await store.close();
    }
  });

  it('/readyz answers 503 when the database takes reads but no writes', async (ctx) => {
    if (skip) return ctx.skip();
    const { store, url } = await readOnlyPostgres();
    // an agent exists already, as on any database that ran before (else the start would create the first admin)
    await new AgentRepository(store.db).create({ login: 'admin', displayName: 'Admin', passwordHash: 'x', role: 'admin' });
    expect(await store.writeProblem()).toBeNull(); // the same database, writable: the probe passes
    const readOnly = await openStore(url);
    const app = await buildApp(testConfig({ INITIAL_ADMIN_PASSWORD: 'x' }), { store: readOnly }).catch(async (error) => {
      await readOnly.close();
      throw error;
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().reason).toMatch(/the database refuses writes: .*read-only transaction/);
    } finally {
      await app.close();
      await readOnly.close();
      await store.close();
    }
  });
});
