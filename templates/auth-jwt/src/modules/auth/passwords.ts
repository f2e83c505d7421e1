import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost: N (memory and time), r (block size), p (parallel lanes, run one after another). */
export interface PasswordHashing {
  N: number;
  r: number;
  p: number;
}

/**
 * One of the settings the OWASP Password Storage Cheat Sheet gives as scrypt's minimum:
 * N=2^14 (16 MiB), r=8, p=5, about 150 ms of CPU per hash here. Its equivalent N=2^17, p=1
 * needs 128 MiB per hash, so four logins at once on libuv's four threads would take a
 * 512 MiB container's whole memory. The parameters are stored with each hash, and a login
 * rehashes a password stored at a lower cost.
 */
export const PASSWORD_HASHING: PasswordHashing = { N: 2 ** 14, r: 8, p: 5 };

/**
 * What NODE_ENV=test hashes with: tests hash hundreds of throwaway passwords, so they take
 * the cheapest cost, as Rails's has_secure_password does with bcrypt in its test environment.
 */
export const TEST_PASSWORD_HASHING: PasswordHashing = { N: 2 ** 10, r: 8, p: 1 };

const KEY_BYTES = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, params: PasswordHashing): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // The async form runs on libuv's thread pool, so hashing never blocks the event loop.
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { ...params, maxmem: MAX_MEMORY },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string, params: PasswordHashing): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** The parameters a stored hash was made with; undefined when it is not one of ours. */
function parse(stored: string) {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  return { params: { N: Number(N), r: Number(r), p: Number(p) }, salt, key };
}

const cost = ({ N, r, p }: PasswordHashing) => N * r * p;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.key, 'base64url');
  const actual = await derive(password, Buffer.from(parsed.salt, 'base64url'), parsed.params);
  // Constant time: how much of the key matched must not show in the response time.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether a stored hash costs less than `params`: the login that proves the password redoes it. */
export function needsRehash(stored: string, params: PasswordHashing): boolean {
  const parsed = parse(stored);
  return !parsed || cost(parsed.params) < cost(params);
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Does the work of a wrong password for an email nobody registered, so the response time
 * does not tell which emails have accounts. Always false.
 */
export async function verifyNobody(password: string, params: PasswordHashing): Promise<false> {
  let dummy = dummyHashes.get(cost(params));
  if (!dummy) {
    dummy = hashPassword(randomBytes(16).toString('base64url'), params);
    dummyHashes.set(cost(params), dummy);
  }
  await verifyPassword(password, await dummy);
  return false;
}
