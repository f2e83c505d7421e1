import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/** A fault put into the test's own database, and its undo. */
export interface Fault {
  /** What the log line of the error shows: the driver's code, the SQL text. */
  logged: (string | RegExp)[];
  undo(): Promise<void>;
}

const run = async (app: FastifyInstance, statement: string) => {
  await app.database.db.$primary.execute(sql.raw(statement));
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
  const values = columns.map((column) => `NEW.${column}`).join(`, ' ', `);
  // SIGNAL takes a variable, not an expression, and at most 128 characters.
  await run(
    app,
    `CREATE TRIGGER refuse_${table} BEFORE ${event} ON ${table} FOR EACH ROW BEGIN
       DECLARE message VARCHAR(128) DEFAULT LEFT(CONCAT('refused: ', ${values}), 128);
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = message;
     END`,
  );
  return {
    logged: [
      'ER_SIGNAL_EXCEPTION',
      new RegExp(`Failed query: (insert into|update) \\W*${table}\\W`),
    ],
    undo: () => run(app, `DROP TRIGGER refuse_${table}`),
  };
}

/** Renames `table` away, so that every query naming it fails. */
export async function hideTable(app: FastifyInstance, table: string): Promise<Fault> {
  await run(app, `RENAME TABLE ${table} TO ${table}_hidden`);
  return {
    logged: [
      'ER_NO_SUCH_TABLE',
      new RegExp(`Failed query: .*${table}`),
      new RegExp(`Table '\\w+\\.${table}' doesn't exist`),
    ],
    undo: () => run(app, `RENAME TABLE ${table}_hidden TO ${table}`),
  };
}
