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
 * Makes every insert (or update) of `table` fail with a message and a detail that quote the
 * row's `columns`, as a carelessly written trigger would (and as PostgreSQL's own detail does:
 * "Failing row contains (…)"): the values reach the driver's error.
 */
export async function refuseWrites(
  app: FastifyInstance,
  table: string,
  columns: string[],
  event: 'INSERT' | 'UPDATE' = 'INSERT',
): Promise<Fault> {
  const values = `concat_ws(' ', ${columns.map((column) => `NEW.${column}`).join(', ')})`;
  await run(
    app,
    `CREATE FUNCTION refuse_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'refused: %', ${values} USING DETAIL = ${values}; END $$`,
  );
  await run(
    app,
    `CREATE TRIGGER refuse_${table} BEFORE ${event} ON ${table}
     FOR EACH ROW EXECUTE FUNCTION refuse_${table}()`,
  );
  return {
    logged: ['P0001', new RegExp(`Failed query: (insert into|update) \\W*${table}\\W`)],
    undo: () => run(app, `DROP FUNCTION refuse_${table}() CASCADE`),
  };
}

/** Renames `table` away, so that every query naming it fails. */
export async function hideTable(app: FastifyInstance, table: string): Promise<Fault> {
  await run(app, `ALTER TABLE ${table} RENAME TO ${table}_hidden`);
  return {
    logged: ['42P01', new RegExp(`Failed query: .*${table}`)],
    undo: () => run(app, `ALTER TABLE ${table}_hidden RENAME TO ${table}`),
  };
}
