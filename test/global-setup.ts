// Runs once around the whole test run (vitest globalSetup): the PostgreSQL schemas that test stores create
// are dropped at the end (and any a killed run left behind, at the start), never while other test files
// may be migrating (see helpers/postgres-schemas.ts). Two test runs at once on one database would drop
// each other's schemas: run one at a time, or give each its own TEST_POSTGRES_URL.
import { dropTestSchemas } from './helpers/postgres-schemas.js';

export async function setup(): Promise<() => Promise<void>> {
  await dropTestSchemas();
  return async () => {
    await dropTestSchemas();
  };
}
