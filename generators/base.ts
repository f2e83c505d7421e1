import type { Feature } from './feature.js';

/** What every project gets: the Fastify app, its safeguards, tests and tooling. */
export const base: Feature = {
  id: 'base',
  dependencies: [
    '@fastify/cors',
    '@fastify/rate-limit',
    '@fastify/swagger',
    '@fastify/swagger-ui',
    '@fastify/type-provider-typebox',
    '@fastify/under-pressure',
    'close-with-grace',
    'cockatiel',
    'fastify',
    'fastify-plugin',
    'helmet',
    'pino',
    'typebox',
  ],
  devDependencies: ['@biomejs/biome', '@types/node', 'fast-check', 'tsx', 'typescript', 'vite', 'vitest'],
  scripts: {
    dev: 'tsx watch src/server.ts',
    build: 'tsc -p tsconfig.build.json',
    start: 'node dist/server.js',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    lint: 'biome check .',
    format: 'biome format --write .',
    'bench:pagination': 'tsx bench/pagination.ts',
  },
  // esbuild (under tsx, vite and drizzle-kit) checks its platform binary after install.
  buildsNative: ['esbuild'],
  env: [
    { name: 'PORT', value: '3000', comment: 'Where to listen' },
    { name: 'HOST', value: '0.0.0.0', comment: 'Interface to bind' },
    { name: 'NODE_ENV', value: 'development', comment: 'development, test or production' },
    { name: 'LOG_LEVEL', value: 'info', comment: 'pino level: fatal, error, warn, info, debug, trace or silent' },
    {
      name: 'CORS_ORIGINS',
      value: '',
      comment: 'Comma list of origins allowed to call the API from a browser; empty means none',
    },
    { name: 'RATE_LIMIT_MAX', value: '100', comment: 'Requests per window per client' },
    { name: 'RATE_LIMIT_WINDOW_MS', value: '60000', comment: 'Rate-limit window in milliseconds' },
    {
      name: 'TRUST_PROXY',
      value: '',
      comment:
        'Proxies in front (load balancer, ingress) whose X-Forwarded-For names the client: comma list of IPs or CIDR ranges, or loopback, linklocal, uniquelocal; empty trusts none',
    },
    { name: 'BODY_LIMIT', value: '1048576', comment: 'Largest request body in bytes' },
    {
      name: 'LOAD_SHED_EVENT_LOOP_DELAY_MS',
      value: '1000',
      comment: 'Answer 503 while work waits this long to run (event-loop delay); 0 turns it off',
    },
  ],
  compose: { environment: { NODE_ENV: 'production', LOG_LEVEL: 'info', CORS_ORIGINS: '' } },
  readme: [
    { place: 'readmeStack', order: 23, when: (data) => !data.has.auth, text: ', no authentication (the API is open)' },
  ],
};
