import Database from 'better-sqlite3';
import { HttpProblem, type LoggableError } from '../errors.js';

// Drizzle wraps driver errors in DrizzleQueryError; the SQLite code sits on the cause.
function sqliteError(error: unknown): { code: string; message: string } | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return { code, message: e.message };
  }
  return undefined;
}

const codeOf = (error: unknown) => sqliteError(error)?.code;

/**
 * A delete of a row others refer to, under ON DELETE RESTRICT: SQLite enforces that action as a
 * trigger, so it fails with the trigger's code and its own message, not SQLITE_CONSTRAINT_FOREIGNKEY.
 */
const isRestrictedDelete = (error: unknown) => {
  const failure = sqliteError(error);
  return (
    failure?.code === 'SQLITE_CONSTRAINT_TRIGGER' &&
    failure.message === 'FOREIGN KEY constraint failed'
  );
};

/** True when a write broke a UNIQUE constraint, so the caller can answer 409. */
export const isUniqueViolation = (error: unknown) => codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * The client-facing problem a database error stands for, or undefined for a bug (a 500).
 * Details are written here, never taken from the driver: its messages hold SQL and values.
 */
export function databaseProblem(error: unknown): HttpProblem | undefined {
  switch (isRestrictedDelete(error) ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : codeOf(error)) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
      return new HttpProblem(409, 'A value that must be unique is taken');
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new HttpProblem(
        409,
        'A reference does not hold: the record named does not exist, or others refer to it',
      );
    // Another process held the write lock for longer than the busy timeout.
    case 'SQLITE_BUSY':
      return new HttpProblem(503, 'The database is busy. Retry later.');
    default:
      return undefined;
  }
}

/**
 * What a log line may show of a better-sqlite3 error: its code, and its message unless a
 * trigger wrote it. SQLite's own messages name tables, columns and constraints, never values
 * ("UNIQUE constraint failed: users.email"); a trigger's RAISE() message is whatever its author
 * made it, the row's values included. better-sqlite3's errors hold no SQL and no parameters.
 */
export function loggableDatabaseError(error: Error): LoggableError | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  const { code } = error;
  return {
    message: code === 'SQLITE_CONSTRAINT_TRIGGER' ? undefined : error.message,
    fields: { code },
  };
}
