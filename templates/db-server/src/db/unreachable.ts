// What a connection attempt fails with when nothing answers at the address.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Whether the error, or one it was caused by, says that nothing answers at the address. */
export function nothingAnswers(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (UNREACHABLE_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return true;
  }
  return false;
}
