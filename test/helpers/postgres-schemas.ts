// The PostgreSQL schemas tests create in the shared test database, dropped once for the whole run.
//
// Why not each when its store closes: Kysely's migrator looks at the tables of every schema (its
// PostgreSQL introspection calls pg_get_serial_sequence on each table), and a schema another test file
// drops meanwhile makes that call fail with 'schema "t_…" does not exist': a migration of an unrelated
// store failed that way about one run in two once enough PostgreSQL test files ran in parallel.
import pg from 'pg';

/** The tests' PostgreSQL database (override with TEST_POSTGRES_URL). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** t_<hex> (services.ts, one per store) and race_<hex> (handoff-claim-race.test.ts); also a PostgreSQL regular expression */
const TEST_SCHEMA = '^(t|race)_[0-9a-f]+$';

/** Drops every test schema in the database; a database that cannot be reached is left alone. */
export async function dropTestSchemas(connectionString = POSTGRES_URL): Promise<number> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    return 0;
  }
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname ~ $1', [TEST_SCHEMA]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
    return rows.length;
  } finally {
    await client.end().catch(() => {});
  }
}
