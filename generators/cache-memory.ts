import type { Feature } from './feature.js';

/** An in-process LRU with TTL behind the cache interface; item reads go through it. */
export const cacheMemory: Feature = {
  id: 'cache-memory',
  dependencies: ['lru-cache'],
  env: [{ name: 'CACHE_TTL_SECONDS', value: '60', comment: 'How long a cached read is served' }],
};
