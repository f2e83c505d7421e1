import type { FastifyBaseLogger } from 'fastify';
import { CredentialError, type Principal } from '../../plugins/authenticate.js';
import { matchesHash, prefixOf } from './keys.js';
import type { ApiKeyRepository } from './repository.js';

// last_used_at is written at most once a minute per key, not on every request.
const TOUCH_INTERVAL_MS = 60_000;

/** One answer for every bad key: the API does not say which prefixes exist or were revoked. */
const invalid = () => new CredentialError('The API key is invalid');

/** Checks an `x-api-key` value against the stored hashes; the principal is the key's owner. */
export function createApiKeyVerifier(repository: ApiKeyRepository, log: FastifyBaseLogger) {
  return async (key: string): Promise<Principal> => {
    const prefix = prefixOf(key);
    if (prefix === undefined) throw invalid();
    const row = await repository.findByPrefix(prefix);
    if (!row || row.revokedAt !== null || !matchesHash(key, row.hash)) throw invalid();
    const now = Date.now();
    if (row.lastUsedAt === null || Date.parse(row.lastUsedAt) < now - TOUCH_INTERVAL_MS) {
      const since = new Date(now - TOUCH_INTERVAL_MS).toISOString();
      // Not awaited: the request need not wait for bookkeeping, nor fail with it.
      repository
        .touch(row.id, new Date(now).toISOString(), since)
        .catch((error: unknown) => log.warn({ err: error }, 'could not record an API key use'));
    }
    return { id: row.ownerId, kind: 'apikey', scopes: [] };
  };
}
