import { type MySQLWithReplicas, withReplicas } from 'drizzle-orm/mysql-core';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import mysql from 'mysql2';
import * as schema from './schema.js';

/**
 * Selects go to a replica (to the primary when there is none); inserts, updates, deletes and
 * transactions go to the primary. Read what was just written through `db.$primary`.
 */
export type Db = MySQLWithReplicas<MySql2Database<typeof schema>>;

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

const CONNECT_TIMEOUT_MS = 5_000;
// The server stops a statement after this, so a runaway query cannot hold a connection.
const STATEMENT_TIMEOUT_MS = 10_000;
// MariaDB and MySQL name the limit differently, and each refuses the other's name.
const MARIADB_STATEMENT_LIMIT = `SET SESSION max_statement_time = ${STATEMENT_TIMEOUT_MS / 1000}`;
const MYSQL_STATEMENT_LIMIT = `SET SESSION max_execution_time = ${STATEMENT_TIMEOUT_MS}`;
// Requests beyond this many waiting for a connection fail at once (503) instead of queueing.
const QUEUE_LIMIT = 1_000;

function openPool(url: string, options: DatabaseOptions): mysql.Pool {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: options.poolMax,
    maxIdle: options.poolMax,
    idleTimeout: 30_000,
    connectTimeout: CONNECT_TIMEOUT_MS,
    queueLimit: QUEUE_LIMIT,
    enableKeepAlive: true,
    // DATETIME values are UTC; see `timestamp` in schema.ts.
    timezone: 'Z',
  });
  pool.on('connection', (connection) => {
    connection.on('error', options.onIdleError);
    connection.query(MARIADB_STATEMENT_LIMIT, (error) => {
      if (error) connection.query(MYSQL_STATEMENT_LIMIT, () => {});
    });
  });
  return pool;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const primaryPool = openPool(options.url, options);
  const replicaPools = options.replicaUrls.map((url) => openPool(url, options));
  const pools = [primaryPool, ...replicaPools];
  const connect = (pool: mysql.Pool) => drizzle(pool, { schema, mode: 'default' });
  const primary = connect(primaryPool);
  // Without replicas, the primary serves the reads too.
  const [replica = primary, ...moreReplicas] = replicaPools.map(connect);
  let closing: Promise<unknown> | undefined;
  return {
    db: withReplicas(primary, [replica, ...moreReplicas]),
    ping: async () => {
      await Promise.all(pools.map((pool) => pool.promise().query('select 1')));
    },
    close: async () => {
      closing ??= Promise.all(pools.map((pool) => pool.promise().end()));
      await closing;
    },
  };
}
