import { monolithSecret, signingSecretSchema } from '../generators/auth-service-principal.js';
import { type ComposePart, extractedServiceCompose } from '../generators/compose.js';
import type { EnvVariable, Feature } from '../generators/feature.js';
import { featuresFor } from '../generators/index.js';
import { type AccessPlan, accessOf, accessPlan } from './access.js';
import type { Stack } from './catalogue.js';
import { sampleOf } from './field-samples.js';
import type { FieldSpec } from './fields.js';
import { objectCall } from './formatting.js';
import type { PlannedModule, ResourceRecord } from './plan.js';
import { type ResourceNames, resourceNames } from './resource.js';
import { defaultFields, type ModuleContext, moduleCode, type PlannedField, plannedFields } from './resource-fields.js';

/**
 * A resource `extract` moved into a service of its own: the monolith keeps its routes, at the same
 * paths with the same OpenAPI, and answers them by calling the service (`templates/resource-remote/`).
 * The manifest records it with `remote: { port }`, so `add`, `remove` and `upgrade` render that
 * client module again, and never the resource's table, repository or local routes.
 */

/** A record whose module is served by a service of its own. */
export type RemoteRecord = ResourceRecord & { remote: NonNullable<ResourceRecord['remote']> };

export const isRemote = (record: ResourceRecord): record is RemoteRecord => record.remote !== undefined;

/**
 * The feature that carries the remote modules' variables, registrations and README section: its
 * folder is the client module's, rendered once per module (its `_places/` once per project).
 */
export const remoteModulesFeature = 'resource-remote';

/** `ORDER_LINES_SERVICE_URL`: the variable that holds the service's origin. */
export const serviceUrlVariable = (names: ResourceNames): string => `${names.table.toUpperCase()}_SERVICE_URL`;

/**
 * `ORDER_LINES_SERVICE_SECRET`: the secret the monolith signs the principal of an API-key caller
 * with, for that service (its `MONOLITH_SECRET`). One per service: a service that leaks its own
 * cannot speak for callers to another.
 */
export const serviceSecretVariable = (names: ResourceNames): string => `${names.table.toUpperCase()}_SERVICE_SECRET`;

/** Where the service listens on this machine, as `extract` gave it its port. */
export const defaultServiceUrl = (record: RemoteRecord): string => `http://127.0.0.1:${record.remote.port}`;

/** `orders_service`: the database of the service `orders-service` on a database server. */
export const serviceDatabase = (service: string): string => service.replace(/[^a-z0-9_]+/g, '_');

/** The service a remote module calls, as the monolith's deployments name it. */
export interface RemoteService {
  /** `orders-service`: its project's name, its compose service and its cluster Service. */
  name: string;
  /** `../orders-service`: its folder, from the monolith's. */
  path: string;
  /** `orders_service`: its database of its own. */
  database: string;
  /** `http://orders-service:3000`: where the api reaches it in the compose file. */
  composeUrl: string;
  /** `http://orders-service`: its cluster Service (port 80), in the monolith's namespace. */
  clusterUrl: string;
}

/** The service of `record`: as recorded, or extract's defaults for manifests from before. */
export function remoteService(record: RemoteRecord): RemoteService {
  const name = record.remote.service ?? `${record.name}-service`;
  return {
    name,
    path: record.remote.path ?? `../${name}`,
    database: serviceDatabase(name),
    composeUrl: `http://${name}:3000`,
    clusterUrl: `http://${name}`,
  };
}

/**
 * The fields the service keeps: a reference to a resource that stayed in the monolith is a plain
 * uuid there (another database holds the row), so the monolith's schema says the same.
 */
export function remoteFields(record: ResourceRecord): FieldSpec[] | undefined {
  return record.fields?.map((field): FieldSpec => {
    if (field.type !== 'references' || field.references === undefined || field.references === record.name) {
      return field;
    }
    const { references: _, onDelete: __, ...rest } = field;
    return { ...rest, type: 'uuid', index: true };
  });
}

/**
 * The database feature's script that copies the module's rows into the service's database: run
 * once the service's own `db:migrate` has made its table, before this project's drops it here.
 */
export function moveRowsScript(features: readonly Feature[], table: string): string {
  const lines = features.find((feature) => feature.moveRows)?.moveRows?.(table);
  if (lines === undefined) throw new Error("No database feature says how to move a table's rows");
  return lines.join('\n');
}

/** The client test's `const sample = (i: number): Payload => ({ … });`: a valid create of row i. */
export function remoteSample(fields: readonly PlannedField[]): string {
  const entries = fields.map((field) => `${field.name}: ${sampleOf(field)}`);
  const usesI = entries.some((entry) => /\bi\b/.test(entry.slice(entry.indexOf(':') + 1)));
  return objectCall('', `const sample = (${usesI ? 'i' : '_i'}: number): Payload => (`, entries, ');');
}

/** A module `extract` moved out: its client module and test, and the schemas its routes declare. */
export interface PlannedRemote extends PlannedModule {
  record: RemoteRecord;
  /** The variable that holds the service's origin: `ORDERS_SERVICE_URL`. */
  serviceUrl: string;
  /** With API keys, the variable of the secret that signs their callers for it: `ORDERS_SERVICE_SECRET`. */
  serviceSecret?: string;
  /** The caller's Authorization goes on to the service: in every project but one whose only auth is API keys. */
  forwardsAuthorization: boolean;
  /** The service, as the deployments name it. */
  service: RemoteService;
  /** The test's `const sample = (i: number) => ({ … });`: a valid create of row i. */
  sample: string;
  /** README.md: the shell script that copies its rows into the service's database. */
  moveRows: string;
}

/** What planning a remote module takes of the project's plan. */
export interface RemotePlanning {
  features: readonly Feature[];
  /** The project has auth. */
  auth: boolean;
  /** The database may have read replicas. */
  replicas: boolean;
  /** The module code's context for a module of this access, as the local modules get it. */
  contextOf: (access: AccessPlan) => ModuleContext;
  /** Credentials stay here (API keys): their callers reach the service signed. */
  signsForServices: boolean;
  /** The project takes bearer tokens. */
  bearer: boolean;
}

/**
 * The remote modules as the templates see them: the fields and access the resource had here (its
 * references to resources that stay turned into plain columns, as in the service), never cached.
 */
export function plannedRemotes(records: readonly RemoteRecord[], planning: RemotePlanning): PlannedRemote[] {
  const { features, auth, replicas, contextOf, signsForServices, bearer } = planning;
  return records.map((record): PlannedRemote => {
    const names = resourceNames(record.name);
    const fields = plannedFields(remoteFields(record) ?? defaultFields, resourceNames);
    const access = accessPlan(record.name, accessOf(record), auth, replicas);
    return {
      ...names,
      fields,
      access,
      code: moduleCode(names, fields, contextOf(access), record.unique),
      cached: false,
      ...(access.writeScope ? { deleteScope: access.writeScope } : {}),
      record,
      serviceUrl: serviceUrlVariable(names),
      ...(signsForServices ? { serviceSecret: serviceSecretVariable(names) } : {}),
      forwardsAuthorization: !signsForServices || bearer,
      service: remoteService(record),
      sample: remoteSample(fields),
      moveRows: moveRowsScript(features, names.table),
    };
  });
}

/** `await fastify.register(orders, { … });` as Biome prints it: one line where it fits. */
function registration(names: ResourceNames, signsPrincipals: boolean): string {
  const entries = [
    `prefix: '/v1/${names.name}'`,
    `baseUrl: config.${serviceUrlVariable(names)}`,
    ...(signsPrincipals ? [`secret: config.${serviceSecretVariable(names)}`] : []),
  ];
  return objectCall('  ', `await fastify.register(${names.camel}Service, `, entries, ');');
}

/** The secret a monolith with API keys shares with the service of `names` (`serviceSecretVariable`). */
function serviceSecret(names: ResourceNames): EnvVariable {
  return {
    name: serviceSecretVariable(names),
    value: '',
    comment: `Signs the principal of each API-key caller for the ${names.name} service, at least 32 characters: its MONOLITH_SECRET, the same value`,
    secret: true,
    devSecret: true,
    schema: signingSecretSchema('No default: the service checks the principals it signs with its MONOLITH_SECRET.'),
    readme: {
      meaning: `signs the principal of an API-key caller for the ${names.name} service (its \`MONOLITH_SECRET\`, the same value), at least 32 characters; **required**`,
      default: "none; in `.env`, the service's, written by extract",
    },
  };
}

/**
 * What the remote modules add to the project as a feature would: each one's variables (in
 * `.env.example`, `src/config.ts`, the README's table, and the compose file and the cluster's
 * settings, where it names the service's container or Service), its registration in
 * `src/app.ts`, and its service in the compose file. Where the project has API keys
 * (`signsPrincipals`), each service shares a secret with it too. The monitoring features find
 * the services in the template data (`remotes`).
 */
export function remoteModules(
  records: readonly RemoteRecord[],
  project: { name: string; stack: Stack; signsPrincipals: boolean },
): Feature {
  const { signsPrincipals } = project;
  const modules = records.map((record) => ({
    record,
    names: resourceNames(record.name),
    service: remoteService(record),
  }));
  /** `${ORDERS_SERVICE_SECRET:?…}`: the api's secret, which the service knows as MONOLITH_SECRET. */
  const secretOf = (names: ResourceNames) => {
    const name = serviceSecretVariable(names);
    return `\${${name}:?set ${name} in .env: the ${names.name} service's MONOLITH_SECRET, the same value}`;
  };
  return {
    id: remoteModulesFeature,
    compose: {
      environment: Object.fromEntries(
        modules.flatMap(({ names, service }) => [
          [serviceUrlVariable(names), service.composeUrl],
          ...(signsPrincipals ? [[serviceSecretVariable(names), secretOf(names)]] : []),
        ]),
      ),
      ...mergedParts(
        modules.map(({ names, service }) => {
          const part = extractedServiceCompose(
            {
              ...service,
              comment: `${service.name}, built from ${service.path}: it answers /v1/${names.name} for the api since extract moved it out.`,
            },
            featuresFor(project.stack, { mode: 'verify', issuer: project.name, database: service.database }),
          );
          // One secret in this compose file's .env for both containers: the api's, by its name here.
          const build = part.builds?.[service.name];
          if (build?.environment?.[monolithSecret] === undefined) return part;
          const environment = { ...build.environment, [monolithSecret]: secretOf(names) };
          return { ...part, builds: { ...part.builds, [service.name]: { ...build, environment } } };
        }),
      ),
    },
    env: modules.flatMap(({ record, names, service }): EnvVariable[] => [
      {
        name: serviceUrlVariable(names),
        value: defaultServiceUrl(record),
        inCluster: service.clusterUrl,
        comment: `The ${names.name} service, which answers /v1/${names.name} since extract moved it out`,
        schema: {
          type: 'string',
          pattern: '^https?://[^/?#]+/?$',
          default: defaultServiceUrl(record),
          description: `an http(s) origin like ${defaultServiceUrl(record)}`,
          rejects: `ftp://${names.name}`,
        },
        readme: {
          meaning: `the origin of the ${names.name} service, which answers \`/v1/${names.name}\` for this API`,
          default: `\`${defaultServiceUrl(record)}\``,
        },
      },
      ...(signsPrincipals ? [serviceSecret(names)] : []),
    ]),
    readme: [
      ...modules.map(({ names }) => ({
        place: 'readmeReadyDegraded',
        text: `; \`200\` with \`"status":"degraded"\` and \`${names.name}-service: degraded\` while the ${names.name} service is down (its routes answer \`503\`, the rest keeps serving)`,
      })),
      { place: 'readmeServices', template: 'readme-services.md.hbs' },
    ],
    // Required at start: the servers and commands the tests spawn get one (they call no service).
    tests: signsPrincipals
      ? modules.flatMap(({ names }) => [
          {
            place: 'shutdownServerEnv',
            text: `      ${serviceSecretVariable(names)}: 'a-shared-secret-of-at-least-32-characters',`,
          },
          {
            place: 'tracingServerEnv',
            text: `          ${serviceSecretVariable(names)}: 'a-shared-secret-of-at-least-32-characters',`,
          },
          {
            place: 'apiKeyCommandEnv',
            text: `            ${serviceSecretVariable(names)}: 'a-shared-secret-of-at-least-32-characters',`,
          },
        ])
      : [],
    snippets: modules.flatMap(({ names }) => [
      {
        place: 'appImports',
        import: `import ${names.camel}Service from './modules/${names.name}/routes.js';`,
      },
      { place: 'appPlugins', order: 125, text: registration(names, signsPrincipals) },
      // The other suites run against a stand-in for the service (test/<name>-service.ts).
      { place: 'testGlobalSetup', order: 20, text: `test/${names.name}-service.ts` },
      {
        place: 'testHelperImports',
        import: `import { ${names.camel}ServiceEnv } from './${names.name}-service.js';`,
      },
      {
        place: 'testConfigEnv',
        text: `    // A stand-in for the service (test/${names.name}-service.ts).\n    ...${names.camel}ServiceEnv(),`,
      },
    ]),
  };
}

/** The compose parts of several services as one. */
function mergedParts(parts: readonly ComposePart[]): ComposePart {
  return {
    services: Object.assign({}, ...parts.map((part) => part.services ?? {})),
    builds: Object.assign({}, ...parts.map((part) => part.builds ?? {})),
    volumes: parts.flatMap((part) => part.volumes ?? []),
  };
}
