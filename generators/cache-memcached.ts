import { cacheRemote } from './cache.js';
import type { Feature } from './feature.js';

/** Memcached through memjs (binary protocol): one cache for every instance of the service. */
export const cacheMemcached: Feature = {
  id: 'cache-memcached',
  uses: [cacheRemote],
  dependencies: ['memjs'],
  devDependencies: ['@types/memjs'],
  env: [
    {
      name: 'MEMCACHED_SERVERS',
      value: '127.0.0.1:11211',
      comment: 'Memcached servers, a comma list of host:port',
      schema: {
        type: 'string',
        pattern: '^[^,:\\s]+:[0-9]+(,[^,:\\s]+:[0-9]+)*$',
        default: '127.0.0.1:11211',
        description: 'a comma list of host:port like 127.0.0.1:11211',
        rejects: 'cache',
      },
      readme: { meaning: 'Memcached servers, a comma list of `host:port`', default: '`127.0.0.1:11211`' },
    },
    {
      name: 'MEMCACHED_KEY_PREFIX',
      value: '',
      comment:
        'Prefix of every key this service writes, so services can share a server (empty: the package name and a colon)',
      schema: {
        type: 'string',
        pattern: '^\\S{0,100}$',
        default: (data) => `${data.name}:`,
        description: 'a key prefix of at most 100 characters, without spaces',
      },
      readme: { meaning: 'prefix of every key this service writes', default: (data) => `\`${data.name}:\`` },
    },
  ],
  compose: {
    environment: { MEMCACHED_SERVERS: 'memcached:11211' },
    services: {
      memcached: {
        comment: '`docker compose up -d memcached` for the tests.',
        neededByApp: true,
        image: 'memcached:1.6-alpine',
        command: ['memcached', '-m', '64'],
        ports: ['127.0.0.1:11211:11211'],
        // busybox nc from the Alpine base image: the server answers a stats command.
        healthcheck: {
          test: ['CMD-SHELL', 'echo stats | nc 127.0.0.1 11211 | grep -q uptime'],
          interval: '5s',
          timeout: '3s',
          retries: 10,
        },
        restart: 'unless-stopped',
      },
    },
  },
  ci: {
    services: {
      memcached: {
        comment: 'MEMCACHED_SERVERS defaults to 127.0.0.1:11211.',
        image: 'memcached:1.6-alpine',
        ports: ['11211:11211'],
      },
    },
  },
  snippets: [
    { place: 'appImports', import: "import cache from './plugins/cache.js';" },
    {
      place: 'appPlugins',
      order: 70,
      text: `  await fastify.register(cache, {
    servers: config.MEMCACHED_SERVERS,
    keyPrefix: config.MEMCACHED_KEY_PREFIX,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    timeoutMs: config.CACHE_TIMEOUT_MS,
  });`,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 30, text: ', a Memcached cache' },
    { place: 'readmeRunTests', template: 'readme-tests.md.hbs' },
    { place: 'readmeReplicas', order: 30, template: 'readme-replicas.md.hbs' },
    { place: 'readmeCache', order: 20, template: 'readme-cache.md.hbs' },
    {
      place: 'readmeLayoutCache',
      text: '  cache/               the cache interface, its Memcached store and the timeout + circuit breaker',
    },
  ],
};
