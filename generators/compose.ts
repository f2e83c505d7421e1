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
}

/** The file `composeFileFor` makes. */
export const composeFile = 'docker-compose.yml';

/** The command that starts some of the compose file's services in the background. */
export const composeUpCommand = (services: readonly string[]) => `docker compose up -d ${services.join(' ')}`;

function merged(features: readonly Feature[]) {
  const parts = features.flatMap((feature) => (feature.compose ? [feature.compose] : []));
  const services: Record<string, ComposeService> = {};
  for (const part of parts) {
    for (const [name, service] of Object.entries(part.services ?? {})) {
      if (name === 'api' || name === 'migrate' || name in services) throw new Error(`Two features declare ${name}`);
      services[name] = service;
    }
  }
  return {
    environment: Object.assign({}, ...parts.map((part) => part.environment ?? {})) as Record<string, string>,
    appVolumes: parts.flatMap((part) => part.appVolumes ?? []),
    services,
    volumes: parts.flatMap((part) => part.volumes ?? []),
  };
}

/** The servers the app cannot start without: their compose services, and the variables that reach them. */
export function appServersOf(features: readonly Feature[]): { services: string[]; variables: string[] } {
  const parts = features.flatMap((feature) => (feature.compose ? [feature.compose] : []));
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
  const compose = merged(features);
  const needed = Object.keys(compose.services).filter((name) => compose.services[name]?.neededByApp);
  for (const name of needed) {
    if (!compose.services[name]?.healthcheck) throw new Error(`${name} is needed by the app but has no health check`);
  }
  const healthy = Object.fromEntries(needed.map((name) => [name, { condition: 'service_healthy' }]));

  const app: Record<string, YamlValue> = { build: '.', environment: compose.environment };
  if (compose.appVolumes.length > 0) app.volumes = compose.appVolumes;
  const migrate: Record<string, YamlValue> = { command: migrateCommand };
  if (needed.length > 0) migrate.depends_on = healthy;
  const api: Record<string, YamlValue> = {
    ports: ['3000:3000'],
    depends_on: { migrate: { condition: 'service_completed_successfully' }, ...healthy },
  };

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
    ...servers.map((server) => `\n${server}`),
    volumes,
  ].join('');
}
