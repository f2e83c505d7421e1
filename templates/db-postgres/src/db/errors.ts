import pg from 'pg';
import { HttpProblem } from '../errors.js';

// Drizzle wraps driver errors in DrizzleQueryError; the driver's error sits on the cause.
function* causes(error: unknown): Generator<Error> {
  for (let e: unknown = error; e instanceof Error; e = e.cause) yield e;
}

const sqlState = (error: unknown) => {
  for (const e of causes(error)) if (e instanceof pg.DatabaseError) return e.code;
  return undefined;
};

/** True when a write broke a UNIQUE constraint, so the caller can answer 409. */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

// Socket errors, and node-postgres's own for a pool or query timeout and a dropped connection.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);
const NETWORK_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error/;

function isUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    if (NETWORK_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return true;
    if (NETWORK_MESSAGES.test(e.message)) return true;
  }
  const state = sqlState(error);
  // 08: connection exception; 53300: too many connections; 57014: statement timeout;
  // 57P01..57P03: the server is shutting down or starting.
  return state !== undefined && (state.startsWith('08') || /^(53300|57014|57P0[1-3])$/.test(state));
}

/**
 * The client-facing problem a database error stands for, or undefined for a bug (a 500).
 * Details are written here, never taken from the driver: its messages hold SQL and values.
 */
export function databaseProblem(error: unknown): HttpProblem | undefined {
  if (isUnavailable(error)) {
    return new HttpProblem(503, 'The database is unavailable. Retry later.');
  }
  switch (sqlState(error)) {
    case '23505':
      return new HttpProblem(409, 'A value that must be unique is taken');
    case '23503':
      return new HttpProblem(409, 'The request refers to something that does not exist');
    // A NUL character: PostgreSQL text cannot hold one.
    case '22021':
    case '22P05':
      return new HttpProblem(400, 'A value contains a character that cannot be stored (NUL)');
    default:
      return undefined;
  }
}
