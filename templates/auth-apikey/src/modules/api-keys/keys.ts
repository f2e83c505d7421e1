import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// `sk_` + a public prefix that finds the row + a secret of 32 random bytes (256 bits).
const KEY_FORMAT = /^sk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  /** Shown once, to whoever made it; never stored. */
  key: string;
  prefix: string;
  hash: string;
}

/**
 * A key is 256 random bits, so a fast hash is enough: no one can guess an input, and a slow
 * password hash would only cost every request time. SHA-256 in hex is what is stored.
 */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function newKey(): NewKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `sk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** The public prefix of a well-formed key, else undefined. */
export const prefixOf = (key: string) => KEY_FORMAT.exec(key)?.[1];

/** Compares in constant time, so the answer's timing says nothing about how much matched. */
export const matchesHash = (key: string, storedHash: string) =>
  timingSafeEqual(Buffer.from(hashKey(key), 'hex'), Buffer.from(storedHash, 'hex'));
