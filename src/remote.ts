import type { EnvVariable, Feature } from '../generators/feature.js';
import type { FieldSpec } from './fields.js';
import { objectCall } from './formatting.js';
import type { ResourceRecord } from './plan.js';
import { type ResourceNames, resourceNames } from './resource.js';
import type { PlannedField } from './resource-fields.js';
import { sampleOf } from './resource-tests.js';

/**
 * A resource `extract` moved into a service of its own: the monolith keeps its routes, at the same
 * paths with the same OpenAPI, and answers them by calling the service (`templates/resource-remote/`).
 * The manifest records it with `remote: { port }`, so `add`, `remove` and `upgrade` render that
 * client module again, and never the resource's table, repository or local routes.
 */

/** A record whose module is served by a service of its own. */
export type RemoteRecord = ResourceRecord & { remote: { port: number } };

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
    schema: {
      type: 'string',
      minLength: 32,
      description: 'a secret of at least 32 characters',
      comment: 'No default: the service checks the principals it signs with its MONOLITH_SECRET.',
      redacted: true,
      example: {
        value: 'a-shared-secret-of-at-least-32-characters',
        loaded: 'a-shared-secret-of-at-least-32-characters',
      },
      rejects: 'too-short-secret',
    },
    readme: {
      meaning: `signs the principal of an API-key caller for the ${names.name} service (its \`MONOLITH_SECRET\`, the same value), at least 32 characters; **required**`,
      default: "none; in `.env`, the service's, written by extract",
    },
  };
}

/**
 * What the remote modules add to the project as a feature would: each one's variables (in
 * `.env.example`, `src/config.ts` and the README's table) and its registration in `src/app.ts`.
 * Where the project has API keys (`signsPrincipals`), each service shares a secret with it too.
 */
export function remoteModules(records: readonly RemoteRecord[], signsPrincipals: boolean): Feature {
  const modules = records.map((record) => ({ record, names: resourceNames(record.name) }));
  return {
    id: remoteModulesFeature,
    env: modules.flatMap(({ record, names }): EnvVariable[] => [
      {
        name: serviceUrlVariable(names),
        value: defaultServiceUrl(record),
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
    ...(signsPrincipals
      ? {
          compose: {
            environment: Object.fromEntries(
              modules.map(({ names }) => {
                const name = serviceSecretVariable(names);
                return [name, `\${${name}:?set ${name} to the ${names.name} service's MONOLITH_SECRET}`];
              }),
            ),
          },
        }
      : {}),
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
