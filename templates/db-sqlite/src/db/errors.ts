/** True when a write broke a UNIQUE constraint, so the caller can answer 409. */
export function isUniqueViolation(error: unknown): boolean {
  // Drizzle wraps driver errors in DrizzleQueryError; the SQLite code sits on the cause.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}
