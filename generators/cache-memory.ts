import { cache } from './cache.js';
import type { Feature } from './feature.js';

/** An in-process LRU with TTL behind the cache interface; item reads go through it. */
export const cacheMemory: Feature = {
  id: 'cache-memory',
  uses: [cache],
  dependencies: ['lru-cache'],
  snippets: [
    { place: 'appImports', import: "import cache from './plugins/cache.js';" },
    {
      place: 'appPlugins',
      order: 70,
      text: '  await fastify.register(cache, { ttlSeconds: config.CACHE_TTL_SECONDS });',
    },
  ],
  readme: [
    { place: 'readmeStack', order: 30, text: ', an in-memory cache' },
    { place: 'readmeReplicas', order: 30, template: 'readme-replicas.md.hbs' },
    { place: 'readmeCache', order: 20, template: 'readme-cache.md.hbs' },
    { place: 'readmeLayoutCache', text: '  cache/               the cache interface and its in-memory LRU' },
  ],
};
