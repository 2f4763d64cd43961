// SPDX-License-Identifier: MIT
/**
 * PostgreSQL test support (excluded from the build): a fresh schema per store, dropped after the
 * file's tests. Tests that need a server run when LOSSSCAPE_TEST_PG holds its connection string
 * (.ci/run starts one and sets it), and are reported as skipped otherwise.
 */
import pg from 'pg';

let counter = 0;

/** A schema name unique to this process and call; remembered in `created` for cleanup. */
export function testSchemaName(prefix: string, created: string[]): string {
  const name = `t_${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  created.push(name);
  return name;
}

/** Drops the schemas (and everything in them). */
export async function dropTestSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}
