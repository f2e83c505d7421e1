import pg from 'pg';
import { HttpProblem, type LoggableError } from '../errors.js';
import { nothingAnswers } from './unreachable.js';

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
 * Why no connection could be made, for a one-line message (src/migrate.ts): no server answers,
 * the server has no such database, or it refused the credentials. Undefined for anything else.
 */
export function connectionFailure(
  error: unknown,
): 'unreachable' | 'no-database' | 'credentials' | undefined {
  const state = sqlState(error);
  if (state === '3D000') return 'no-database';
  // 28P01: wrong password; 28000: no such role, or pg_hba.conf lets it in from nowhere.
  if (state === '28P01' || state === '28000') return 'credentials';
  if (nothingAnswers(error)) return 'unreachable';
  for (const e of causes(error)) {
    if (e.message.includes('timeout exceeded when trying to connect')) return 'unreachable';
  }
  return undefined;
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
      return new HttpProblem(
        409,
        'A reference does not hold: the record named does not exist, or others refer to it',
      );
    // A NUL character: PostgreSQL text cannot hold one.
    case '22021':
    case '22P05':
      return new HttpProblem(400, 'A value contains a character that cannot be stored (NUL)');
    default:
      return undefined;
  }
}

// SQLSTATE classes whose messages name schema objects only: connection (08), feature (0A),
// integrity constraints (23: the values are in `detail`), transaction state (25), authorization
// (28), catalog and schema names (3D, 3F), rollback (40: serialization, deadlock), syntax and
// access (42: a syntax error quotes the SQL text, which holds placeholders), resources (53, 54),
// object state (55: lock timeout), operator intervention (57: cancel, statement timeout,
// shutdown), system and internal errors (58, XX). The others can quote a value: data exceptions
// (22: 'invalid input syntax for type uuid: "…"'), and RAISE in PL/pgSQL (P0), whose text is
// whatever its author made it.
const VALUE_FREE_CLASSES = new Set([
  '08',
  '0A',
  '23',
  '25',
  '28',
  '3D',
  '3F',
  '40',
  '42',
  '53',
  '54',
  '55',
  '57',
  '58',
  'XX',
]);

/**
 * What a log line may show of a node-postgres error: its SQLSTATE, the schema objects involved
 * and, for the classes above, its message. Never `detail` ("Key (email)=(ada@example.com)
 * already exists", "Failing row contains (…)"), `hint`, `where` or `internalQuery`, which can
 * quote values.
 */
export function loggableDatabaseError(error: Error): LoggableError | undefined {
  if (!(error instanceof pg.DatabaseError)) return undefined;
  const { code, schema, table, column, dataType, constraint } = error;
  const valueFree = code !== undefined && VALUE_FREE_CLASSES.has(code.slice(0, 2));
  return {
    message: valueFree ? error.message : undefined,
    fields: { code, schema, table, column, dataType, constraint },
  };
}
