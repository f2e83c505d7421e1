import { HttpProblem, type LoggableError } from '../errors.js';
import { nothingAnswers } from './unreachable.js';

interface MysqlError extends Error {
  code?: string;
  errno?: number;
  sqlState?: string;
  /** The server's message; the error's own message repeats it. */
  sqlMessage?: string;
  /** Set by mysql2 when the connection itself failed, not the statement. */
  fatal?: boolean;
}

// Drizzle wraps driver errors in DrizzleQueryError; the driver's error sits on the cause.
function driverError(error: unknown): MysqlError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ('errno' in e || 'fatal' in e) return e as MysqlError;
  }
  return undefined;
}

/** True when a write broke a UNIQUE constraint, so the caller can answer 409. */
export const isUniqueViolation = (error: unknown) => driverError(error)?.code === 'ER_DUP_ENTRY';

// Server busy or gone: too many connections, lock wait timeout, statement timeout (MariaDB's
// and MySQL's), server shutting down.
const UNAVAILABLE_ERRNOS = new Set([1040, 1205, 1969, 3024, 1053]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

function isUnavailable(error: unknown): boolean {
  const driver = driverError(error);
  if (driver?.fatal || UNAVAILABLE_ERRNOS.has(driver?.errno ?? 0)) return true;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (NETWORK_CODES.has((e as MysqlError).code ?? '')) return true;
    // mysql2's pool: every connection busy and QUEUE_LIMIT requests already waiting.
    if (e.message === 'Queue limit reached.') return true;
  }
  return false;
}

/**
 * Why no connection could be made, for a one-line message (src/migrate.ts): no server answers,
 * the server has no such database, or it refused the credentials. Undefined for anything else.
 */
export function connectionFailure(
  error: unknown,
): 'unreachable' | 'no-database' | 'credentials' | undefined {
  const driver = driverError(error);
  if (driver?.code === 'ER_BAD_DB_ERROR') return 'no-database';
  // Access denied, whichever way the server checked (password, or MariaDB's unix_socket).
  if (driver?.sqlState === '28000') return 'credentials';
  return nothingAnswers(error) ? 'unreachable' : undefined;
}

/**
 * The client-facing problem a database error stands for, or undefined for a bug (a 500).
 * Details are written here, never taken from the driver: its messages hold SQL and values.
 */
export function databaseProblem(error: unknown): HttpProblem | undefined {
  if (isUnavailable(error)) {
    return new HttpProblem(503, 'The database is unavailable. Retry later.');
  }
  switch (driverError(error)?.code) {
    case 'ER_DUP_ENTRY':
      return new HttpProblem(409, 'A value that must be unique is taken');
    case 'ER_NO_REFERENCED_ROW_2':
    case 'ER_ROW_IS_REFERENCED_2':
      return new HttpProblem(
        409,
        'A reference does not hold: the record named does not exist, or others refer to it',
      );
    default:
      return undefined;
  }
}

// Server errors whose messages name schema objects only: too many connections (1040), access
// denied (1044, 1045), no or unknown database (1046, 1049), a column that cannot be null (1048),
// shutdown (1053), unknown column (1054), unknown table (1146), lock wait timeout (1205),
// deadlock (1213), interrupted (1317), data too long for a column (1406), foreign keys (1451,
// 1452), statement timeouts (MariaDB 1969, MySQL 3024), check constraints (MySQL 3819, MariaDB
// 4025). Others quote values: "Duplicate entry 'ada@example.com' for key …" (1062), "Incorrect
// … value: '…'", a SIGNAL's text, and a syntax error's "near '…'", since mysql2 puts the
// values into the statement it sends.
const VALUE_FREE_ERRNOS = new Set([
  1040, 1044, 1045, 1046, 1048, 1049, 1053, 1054, 1146, 1205, 1213, 1317, 1406, 1451, 1452, 1969,
  3024, 3819, 4025,
]);

/**
 * What a log line may show of a mysql2 error: its code, errno and SQLSTATE and, for the errors
 * above or one raised in the client (a lost connection), its message. Never `sql`, the statement
 * with its values written in, nor `sqlMessage`.
 */
export function loggableDatabaseError(error: Error): LoggableError | undefined {
  if (!('sql' in error || 'sqlMessage' in error)) return undefined;
  const { code, errno, sqlState, sqlMessage, fatal } = error as MysqlError;
  const valueFree = sqlMessage === undefined || VALUE_FREE_ERRNOS.has(errno ?? 0);
  return {
    message: valueFree ? error.message : undefined,
    fields: { code, errno, sqlState, fatal },
  };
}
