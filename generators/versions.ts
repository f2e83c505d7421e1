/**
 * The one map of dependency versions a generated project may get. Every
 * version here runs on Node 20 and 22; check `npm view PKG engines` before
 * raising one.
 */
export const dependencyVersions = {
  '@biomejs/biome': '2.3.8',
  '@fastify/cors': '^11.1.0',
  '@fastify/helmet': '^13.0.2',
  '@fastify/rate-limit': '^10.3.0',
  '@fastify/swagger': '^9.5.2',
  '@fastify/swagger-ui': '^5.2.3',
  '@fastify/type-provider-typebox': '^6.1.0',
  '@fastify/under-pressure': '^9.0.3',
  '@types/better-sqlite3': '^7.6.13',
  '@types/node': '^20.19.0',
  'better-sqlite3': '^12.4.1',
  'close-with-grace': '^2.2.0',
  'drizzle-kit': '^0.31.5',
  'drizzle-orm': '^0.44.7',
  fastify: '^5.6.1',
  'fastify-metrics': '^13.0.0',
  'fastify-plugin': '^5.1.0',
  tsx: '^4.20.6',
  typebox: '^1.0.0',
  typescript: '~5.9.3',
  vite: '8.3.8',
  vitest: '4.1.12',
} as const;

export type DependencyName = keyof typeof dependencyVersions;
