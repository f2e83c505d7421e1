import { HttpProblem } from '../errors.js';

// Drizzle wraps driver errors in DrizzleQueryError; the SQLite code sits on the cause.
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/** True when a write broke a UNIQUE constraint, so the caller can answer 409. */
export const isUniqueViolation = (error: unknown) => codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * The client-facing problem a database error stands for, or undefined for a bug (a 500).
 * Details are written here, never taken from the driver: its messages hold SQL and values.
 */
export function databaseProblem(error: unknown): HttpProblem | undefined {
  switch (codeOf(error)) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
      return new HttpProblem(409, 'A value that must be unique is taken');
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new HttpProblem(409, 'The request refers to something that does not exist');
    // Another process held the write lock for longer than the busy timeout.
    case 'SQLITE_BUSY':
      return new HttpProblem(503, 'The database is busy. Retry later.');
    default:
      return undefined;
  }
}
