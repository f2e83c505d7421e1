import { cacheRemote } from './cache.js';
import type { Feature } from './feature.js';

/** Memcached through memjs (binary protocol): one cache for every instance of the service. */
export const cacheMemcached: Feature = {
  id: 'cache-memcached',
  uses: [cacheRemote],
  dependencies: ['memjs'],
  devDependencies: ['@types/memjs'],
  env: [
    { name: 'MEMCACHED_SERVERS', value: '127.0.0.1:11211', comment: 'Memcached servers, a comma list of host:port' },
  ],
};
