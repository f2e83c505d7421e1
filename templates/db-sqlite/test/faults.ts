import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/** A fault put into the test's own database, and its undo. */
export interface Fault {
  /** What the log line of the error shows (better-sqlite3's errors hold no SQL). */
  logged: (string | RegExp)[];
  undo(): Promise<void>;
}

const run = async (app: FastifyInstance, statement: string) => {
  app.database.db.run(sql.raw(statement));
};

/**
 * Makes every insert (or update) of `table` fail with a message that quotes the row's
 * `columns`, as a carelessly written trigger would: the values reach the driver's error.
 */
export async function refuseWrites(
  app: FastifyInstance,
  table: string,
  columns: string[],
  event: 'INSERT' | 'UPDATE' = 'INSERT',
): Promise<Fault> {
  const values = columns.map((column) => `NEW.${column}`).join(` || ' ' || `);
  await run(
    app,
    `CREATE TRIGGER refuse_${table} BEFORE ${event} ON ${table}
     BEGIN SELECT RAISE(ABORT, 'refused: ' || ${values}); END`,
  );
  return {
    logged: ['SQLITE_CONSTRAINT_TRIGGER'],
    undo: () => run(app, `DROP TRIGGER refuse_${table}`),
  };
}

/** Renames `table` away, so that every query naming it fails. */
export async function hideTable(app: FastifyInstance, table: string): Promise<Fault> {
  await run(app, `ALTER TABLE ${table} RENAME TO ${table}_hidden`);
  return {
    logged: ['SQLITE_ERROR', `no such table: ${table}`],
    undo: () => run(app, `ALTER TABLE ${table}_hidden RENAME TO ${table}`),
  };
}
