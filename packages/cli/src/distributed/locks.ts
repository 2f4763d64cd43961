// SPDX-License-Identifier: MIT
/**
 * Chain leases below the job queue's: a session advisory lock per chain, held on a connection of
 * its own for the whole segment job. PostgreSQL releases it when the session ends — at once when
 * the holder's process dies (its socket closes) — so a retried job never waits on a dead worker,
 * while a live worker whose job outran its lease keeps any other worker off the chain.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface ChainLocks {
  /** True when this worker now holds chain `chain` (never blocks). */
  tryLock(chain: number): Promise<boolean>;
  unlock(chain: number): Promise<void>;
  close(): Promise<void>;
}

/** The advisory-lock key of a chain of a landscape schema. */
export function chainLockKey(schema: string, chain: number): string {
  return createHash('sha256').update(`lossscape/${schema}/chain/${chain}`).digest().readBigInt64BE(0).toString();
}

export function createChainLocks(url: string, schema: string): ChainLocks {
  let client: pg.Client | undefined;
  const held = new Set<number>();
  const connection = async (): Promise<pg.Client> => {
    if (!client) {
      const c = new pg.Client({ connectionString: url, application_name: 'lossscape-chain-locks' });
      // A dropped connection has dropped its locks too: forget it and reconnect on the next call.
      c.on('error', () => {
        if (client === c) client = undefined;
        held.clear();
      });
      await c.connect();
      client = c;
    }
    return client;
  };
  return {
    async tryLock(chain) {
      const c = await connection();
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [chainLockKey(schema, chain)]);
      if (rows[0].ok) held.add(chain);
      return rows[0].ok;
    },
    async unlock(chain) {
      if (!held.delete(chain) || !client) return;
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [chainLockKey(schema, chain)]);
    },
    async close() {
      held.clear();
      const c = client;
      client = undefined;
      await c?.end();
    },
  };
}
