import { toYaml, type YamlValue } from '../src/yaml.js';
import { migrateCommand } from './deploy.js';
import type { Feature } from './feature.js';

/** A server that runs beside the app in `docker-compose.yml` (database, cache, monitoring). */
export interface ComposeService {
  /** One line written above the service. */
  comment?: string;
  /** The app needs it: the migration and the api start only once its health check passes. */
  neededByApp?: boolean;
  image: string;
  /** Only where the image's own user cannot do the job (reading other containers' logs). */
  user?: string;
  command?: readonly string[];
  environment?: Readonly<Record<string, string>>;
  ports?: readonly string[];
  volumes?: readonly string[];
  healthcheck?: {
    test: readonly string[];
    interval: string;
    timeout: string;
    retries: number;
    start_period?: string;
  };
  depends_on?: Readonly<Record<string, { condition: 'service_healthy' | 'service_started' }>>;
  restart?: string;
}

/**
 * A service `extract` made, run beside the api from its own folder: a one-shot migration and its
 * server, sharing one fragment (`x-<name>`) as the app's do. The api calls it, but serves without it.
 */
export interface ComposeBuild {
  /** One line written above the fragment. */
  comment: string;
  /** Its folder, from the monolith's: `../orders-service`. */
  path: string;
  environment: Readonly<Record<string, string>>;
  /** Volumes mounted into it, as `volume:/path`. */
  volumes?: readonly string[];
  /** The servers its migration and server wait for, healthy. */
  needs: readonly string[];
}

/** What one feature adds to the compose file. */
export interface ComposePart {
  /** Variables of the app (its migration and the api) with the values they take inside compose. */
  environment?: Readonly<Record<string, string>>;
  /** Volumes mounted into the app, as `volume:/path`. */
  appVolumes?: readonly string[];
  /** Servers beside the app, by service name. */
  services?: Readonly<Record<string, ComposeService>>;
  /** Named volumes, declared once at the end of the file. */
  volumes?: readonly string[];
  /** Services built from folders of their own (`extract`), by service name. */
  builds?: Readonly<Record<string, ComposeBuild>>;
}

/** The file `composeFileFor` makes. */
export const composeFile = 'docker-compose.yml';

/** The command that starts some of the compose file's services in the background. */
export const composeUpCommand = (services: readonly string[]) => `docker compose up -d ${services.join(' ')}`;

const partsOf = (features: readonly Feature[]) =>
  features.flatMap((feature) => (feature.compose ? [feature.compose] : []));

function merged(parts: readonly ComposePart[]) {
  const services: Record<string, ComposeService> = {};
  const builds: Record<string, ComposeBuild> = {};
  const taken = (name: string) =>
    name === 'api' || name === 'migrate' || name in services || name in builds || `${name}-migrate` in builds;
  for (const part of parts) {
    for (const [name, service] of Object.entries(part.services ?? {})) {
      if (taken(name)) throw new Error(`Two features declare ${name}`);
      services[name] = service;
    }
    for (const [name, build] of Object.entries(part.builds ?? {})) {
      if (taken(name) || taken(`${name}-migrate`)) throw new Error(`Two features declare ${name}`);
      builds[name] = build;
    }
  }
  return {
    environment: Object.assign({}, ...parts.map((part) => part.environment ?? {})) as Record<string, string>,
    appVolumes: parts.flatMap((part) => part.appVolumes ?? []),
    services,
    builds,
    volumes: parts.flatMap((part) => part.volumes ?? []),
  };
}

/**
 * What a service `extract` made adds to the monolith's compose file, from the features of its
 * project: its migration and server built from its folder (`path`); its database of its own
 * (`database`) on a server of its own (`<name>-db`, not published on this machine), or in a
 * volume of its own for a database file; and every other server the monolith's, which it shares
 * (a cache's keys carry its own prefix, the collector and the secrets are the monolith's).
 */
export function extractedServiceCompose(
  service: { name: string; path: string; database: string; comment: string },
  features: readonly Feature[],
): ComposePart {
  const prefix = `${service.name}-`;
  const ownDatabase = (feature: Feature) => feature.ownDatabase?.(service.database, `${prefix}db`);
  const own = partsOf(features.flatMap((feature) => ownDatabase(feature) ?? []));
  const shared = partsOf(features.filter((feature) => !feature.ownDatabase));
  const servers = Object.fromEntries(
    own.flatMap((part) =>
      Object.entries(part.services ?? {}).map(([name, { ports: _, neededByApp: __, ...server }]) => [
        name,
        { ...server, comment: `The database of ${service.name} alone.` },
      ]),
    ),
  );
  const all = merged(partsOf(features.map((feature) => ownDatabase(feature) ?? feature)));
  // `data:/app/data` as `orders-service-data:/app/data`: a volume of its own.
  const volumes = all.appVolumes.map((volume) => `${prefix}${volume}`);
  const needs = [
    ...Object.keys(servers),
    ...shared.flatMap((part) =>
      Object.entries(part.services ?? {}).flatMap(([name, server]) => (server.neededByApp ? [name] : [])),
    ),
  ];
  return {
    services: servers,
    builds: {
      [service.name]: {
        comment: service.comment,
        path: service.path,
        environment: all.environment,
        ...(volumes.length > 0 ? { volumes } : {}),
        needs,
      },
    },
    volumes: [
      ...own.flatMap((part) => part.volumes ?? []),
      ...volumes.map((volume) => volume.slice(0, volume.indexOf(':'))),
    ],
  };
}

/** The servers the app cannot start without: their compose services, and the variables that reach them. */
export function appServersOf(features: readonly Feature[]): { services: string[]; variables: string[] } {
  const parts = partsOf(features);
  const needing = parts.filter((part) => Object.values(part.services ?? {}).some((service) => service.neededByApp));
  return {
    services: needing.flatMap((part) =>
      Object.entries(part.services ?? {}).flatMap(([name, service]) => (service.neededByApp ? [name] : [])),
    ),
    variables: needing.flatMap((part) => Object.keys(part.environment ?? {})),
  };
}

/**
 * `docker-compose.yml`: the app's image and settings once (an `x-app` fragment), a
 * one-shot migration, the api, and every server the features declare, each awaited
 * through its health check.
 */
export function composeFileFor(features: readonly Feature[]): string {
  const compose = merged(partsOf(features));
  const needed = Object.keys(compose.services).filter((name) => compose.services[name]?.neededByApp);
  for (const name of needed) {
    if (!compose.services[name]?.healthcheck) throw new Error(`${name} is needed by the app but has no health check`);
  }
  const healthyOf = (names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' }]));
  const healthy = healthyOf(needed);
  const builds = Object.entries(compose.builds);

  const app: Record<string, YamlValue> = { build: '.', environment: compose.environment };
  if (compose.appVolumes.length > 0) app.volumes = compose.appVolumes;
  const migrate: Record<string, YamlValue> = { command: migrateCommand };
  if (needed.length > 0) migrate.depends_on = healthy;
  const api: Record<string, YamlValue> = {
    ports: ['3000:3000'],
    depends_on: {
      migrate: { condition: 'service_completed_successfully' },
      ...healthy,
      // Started first, not awaited: while one is down, its routes answer 503 and the rest serves.
      ...Object.fromEntries(builds.map(([name]) => [name, { condition: 'service_started' }])),
    },
  };

  const fragments = builds.map(([name, build]) => {
    const settings: Record<string, YamlValue> = { build: build.path, environment: build.environment };
    if (build.volumes) settings.volumes = build.volumes;
    return `\n# ${build.comment}\nx-${name}: &${name}\n${toYaml(settings, 1)}`;
  });
  const built = builds.map(([name, build]) =>
    [
      `\n  # Applies the pending migrations of ${name} once, then exits.\n`,
      `  ${name}-migrate:\n`,
      `    <<: *${name}\n`,
      toYaml(
        build.needs.length > 0
          ? { command: migrateCommand, depends_on: healthyOf(build.needs) }
          : { command: migrateCommand },
        2,
      ),
      '    restart: "no"\n',
      `\n  # Healthy once its image's HEALTHCHECK gets an answer from /health/live.\n`,
      `  ${name}:\n`,
      `    <<: *${name}\n`,
      toYaml(
        {
          depends_on: {
            [`${name}-migrate`]: { condition: 'service_completed_successfully' },
            ...healthyOf(build.needs),
          },
        },
        2,
      ),
      '    stop_grace_period: 15s\n',
      '    restart: unless-stopped\n',
    ].join(''),
  );

  const servers = Object.entries(compose.services).map(([name, { comment, neededByApp: _, ...service }]) => {
    const lines = toYaml({ [name]: service as unknown as YamlValue }, 1);
    return comment === undefined ? lines : `  # ${comment}\n${lines}`;
  });
  const volumes =
    compose.volumes.length === 0
      ? ''
      : `\nvolumes:\n${toYaml(Object.fromEntries(compose.volumes.map((name) => [name, null])), 1)}`;

  return [
    '# `docker compose up --build` runs the service with every server it needs on one machine.\n\n',
    '# The image and settings the migration and the api share.\n',
    'x-app: &app\n',
    toYaml(app, 1),
    ...fragments,
    '\nservices:\n',
    '  # Applies pending migrations once, then exits; the api starts after it succeeded.\n',
    '  migrate:\n',
    '    <<: *app\n',
    toYaml(migrate, 2),
    '    restart: "no"\n',
    '\n  api:\n',
    '    <<: *app\n',
    toYaml(api, 2),
    '    # Longer than the 10 s the server gives in-flight requests on SIGTERM.\n',
    '    stop_grace_period: 15s\n',
    '    restart: unless-stopped\n',
    ...built,
    ...servers.map((server) => `\n${server}`),
    volumes,
  ].join('');
}
