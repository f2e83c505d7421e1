import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { type PgWithReplicas, withReplicas } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

/**
 * Selects go to a replica (to the primary when there is none); inserts, updates, deletes and
 * transactions go to the primary. Read what was just written through `db.$primary`.
 */
export type Db = PgWithReplicas<NodePgDatabase<typeof schema>>;

export interface DatabaseOptions {
  url: string;
  replicaUrls: string[];
  /** Connections per pool: the primary and each replica have one. */
  poolMax: number;
  /** Errors of idle connections, e.g. the server closed them; the pool replaces them. */
  onIdleError(error: Error): void;
}

export interface DatabaseHandle {
  db: Db;
  /** One round trip to the primary and to each replica; rejects when any of them fails. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// A request waiting longer than this for a connection gets a 503 instead of hanging:
// node-postgres would wait forever by default.
const CONNECT_TIMEOUT_MS = 5_000;
// The server cancels a statement after this; the client gives up a little later, for when
// the server does not answer at all.
const STATEMENT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 12_000;

function openPool(url: string, options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // Without a listener, an idle connection that dies would crash the process.
  pool.on('error', options.onIdleError);
  return pool;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const primaryPool = openPool(options.url, options);
  const replicaPools = options.replicaUrls.map((url) => openPool(url, options));
  const pools = [primaryPool, ...replicaPools];
  const primary = drizzle(primaryPool, { schema });
  // Without replicas, the primary serves the reads too.
  const [replica = primary, ...moreReplicas] = replicaPools.map((pool) =>
    drizzle(pool, { schema }),
  );
  let closing: Promise<unknown> | undefined;
  return {
    db: withReplicas(primary, [replica, ...moreReplicas]),
    ping: async () => {
      await Promise.all(pools.map((pool) => pool.query('select 1')));
    },
    close: async () => {
      // pg refuses a second end(); shutdown and tests may both close.
      closing ??= Promise.all(pools.map((pool) => pool.end()));
      await closing;
    },
  };
}
