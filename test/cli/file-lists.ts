// Every project, whatever its database.
export const baseFiles = [
  '.env.example',
  'bench/pagination.ts',
  '.gitignore',
  'README.md',
  'biome.json',
  'package.json',
  'src/app.ts',
  'src/config.ts',
  'src/errors.ts',
  'src/lib/http-client.ts',
  'src/lib/validation.ts',
  'src/lifecycle.ts',
  'src/modules/health/routes.ts',
  'src/modules/items/repository.ts',
  'src/modules/items/routes.ts',
  'src/modules/items/schemas.ts',
  'src/plugins/docs.ts',
  'src/plugins/errors.ts',
  'src/plugins/load-shedding.ts',
  'src/plugins/logging.ts',
  'src/plugins/rate-limit.ts',
  'src/plugins/readiness.ts',
  'src/plugins/request-id.ts',
  'src/plugins/security.ts',
  'src/server.ts',
  'test/config.test.ts',
  'test/docs.test.ts',
  'test/errors.test.ts',
  'test/fixtures/memory-pressure.ts',
  'test/fixtures/slow-server.ts',
  'test/health.test.ts',
  'test/hostile-input.test.ts',
  'test/helpers.ts',
  'test/http-client.test.ts',
  'test/items.test.ts',
  'test/load-shedding.test.ts',
  'test/logging.test.ts',
  'test/rate-limit.test.ts',
  'test/request-id.test.ts',
  'test/security.test.ts',
  'test/shutdown.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
  'vitest.config.ts',
  'sound-backend.json',
];

export const prometheusFiles = [
  'observability/grafana/dashboards/api.json',
  'observability/grafana/provisioning/dashboards/dashboards.yml',
  'observability/grafana/provisioning/datasources/prometheus.yml',
  'observability/prometheus/alerts.yml',
  'observability/prometheus/prometheus.yml',
  'src/plugins/metrics.ts',
  'test/metrics.test.ts',
  'test/observability.test.ts',
];
export const elkFiles = ['observability/filebeat/filebeat.yml', 'test/ecs-logs.test.ts'];
export const opentelemetryFiles = [
  'observability/otel-collector.yaml',
  'src/instrumentation.ts',
  'src/telemetry.ts',
  'src/plugins/tracing.ts',
  'test/fixtures/traced-server.ts',
  'test/tracing.test.ts',
];
export const dockerFiles = ['.dockerignore', 'Dockerfile', 'docker-compose.yml'];
export const githubFiles = ['.github/workflows/ci.yml'];

/** The one authenticate hook every auth value but `none` plugs its verifier into. */
const sharedAuthFiles = ['src/plugins/authenticate.ts'];

/** The files each `--auth` value adds (a combination gets the union). */
export const authValueFiles = {
  jwt: [
    ...sharedAuthFiles,
    // The development JWT_SECRET (git-ignored; not in the manifest).
    '.env',
    'src/modules/auth/passwords.ts',
    'src/modules/auth/repository.ts',
    'src/modules/auth/routes.ts',
    'src/modules/auth/schemas.ts',
    'src/modules/auth/tokens.ts',
    'src/plugins/access-tokens.ts',
    'test/auth-error-logs.test.ts',
    'test/auth-rate-limit.test.ts',
    'test/auth.test.ts',
    'test/jwt-config.test.ts',
    'test/refresh-races.test.ts',
    'test/token-attacks.test.ts',
  ],
  apikey: [
    ...sharedAuthFiles,
    'scripts/apikey.js',
    'src/apikey.ts',
    'src/modules/api-keys/commands.ts',
    'src/modules/api-keys/keys.ts',
    'src/modules/api-keys/repository.ts',
    'src/modules/api-keys/verifier.ts',
    'test/api-key-error-logs.test.ts',
    'test/api-keys.test.ts',
  ],
  oauth2: [...sharedAuthFiles, 'src/lib/oidc.ts', 'test/identity-provider.ts', 'test/oauth2.test.ts'],
  none: [],
} as const;

/** The files of an `--auth` list, each once. */
export const authFilesOf = (values: readonly (keyof typeof authValueFiles)[]): string[] => [
  ...new Set(values.flatMap((value) => authValueFiles[value])),
];

/** The files `--auth jwt` (the default) adds. */
export const authFiles = authFilesOf(['jwt']);

/** Every file some auth value adds. */
export const anyAuthFile = authFilesOf(['jwt', 'apikey', 'oauth2']);

/** The files every cache but `none` adds: the interface, cache-aside item reads, their tests. */
const sharedCacheFiles = [
  'src/cache/cache.ts',
  'src/modules/items/cache.ts',
  'src/plugins/cache.ts',
  'test/cache-races.ts',
  'test/cache.test.ts',
];

/** The image every deployment runs (`--deploy docker` or `kubernetes`). */
export const imageFiles = ['.dockerignore', 'Dockerfile'];

/** The files `--deploy kubernetes` adds beside the image. */
export const kubernetesFiles = [
  'deploy/kubernetes/.gitignore',
  'deploy/kubernetes/configmap.yaml',
  'deploy/kubernetes/deployment.yaml',
  'deploy/kubernetes/hpa.yaml',
  'deploy/kubernetes/kustomization.yaml',
  'deploy/kubernetes/migrate-job.yaml',
  'deploy/kubernetes/pdb.yaml',
  'deploy/kubernetes/secret.env.example',
  'deploy/kubernetes/service.yaml',
];

/** The files of every database choice. */
const databaseFiles = [
  'drizzle.config.ts',
  'drizzle/0000_initial.sql',
  'drizzle/meta/0000_snapshot.json',
  'drizzle/meta/_journal.json',
  'scripts/db-migrate.js',
  'src/db/client.ts',
  'src/db/errors.ts',
  'src/db/journal.ts',
  'src/db/migrate.ts',
  'src/db/readiness.ts',
  'src/db/schema.ts',
  'src/migrate.ts',
  'src/plugins/database.ts',
  'test/faults.ts',
  'test/migrations.test.ts',
  'test/query-error-logs.test.ts',
];

/** The files of `--db sqlite`. */
export const sqliteFiles = [...databaseFiles, 'test/sqlite.test.ts'];

/** The files of `--db postgres` and of `--db mysql`: the shared ones, and the tests that need a server. */
export const serverDatabaseFiles = [
  ...databaseFiles,
  'src/db/handle.ts',
  'src/db/unreachable.ts',
  'test/database-outage.test.ts',
  'test/database.ts',
  'test/fixtures/tcp-proxy.ts',
  'test/global-setup.ts',
  'test/replicas.test.ts',
  'test/server.ts',
];

/** The files the networked caches (Redis, Memcached) add: timeouts, circuit breaker, outage tests. */
const remoteCacheFiles = [
  'src/cache/remote.ts',
  'src/cache/resilient.ts',
  'test/cache-outage.test.ts',
  'test/cache-server.ts',
  'test/fixtures/tcp-proxy.ts',
  'test/resilient.test.ts',
  'test/stale-cache.test.ts',
];

/** The files each `--cache` value adds. */
export const cacheFiles = {
  memory: [...sharedCacheFiles, 'src/cache/memory.ts', 'test/cache-memory.test.ts'],
  redis: [...sharedCacheFiles, ...remoteCacheFiles, 'src/cache/redis.ts', 'test/redis.test.ts'],
  memcached: [...sharedCacheFiles, ...remoteCacheFiles, 'src/cache/memcached.ts', 'test/memcached.test.ts'],
  none: [],
} as const;

/** Every file any cache adds. */
export const anyCacheFile = [...new Set(Object.values(cacheFiles).flat())];
