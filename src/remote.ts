import type { Feature } from '../generators/feature.js';
import { type AccessPlan, accessOf, accessPlan } from './access.js';
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
export type RemoteRecord = ResourceRecord & { remote: { port: number } };

export const isRemote = (record: ResourceRecord): record is RemoteRecord => record.remote !== undefined;

/**
 * The feature that carries the remote modules' variables, registrations and README section: its
 * folder is the client module's, rendered once per module (its `_places/` once per project).
 */
export const remoteModulesFeature = 'resource-remote';

/** `ORDER_LINES_SERVICE_URL`: the variable that holds the service's origin. */
export const serviceUrlVariable = (names: ResourceNames): string => `${names.table.toUpperCase()}_SERVICE_URL`;

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

/** A module `extract` moved out: its client module and test, and the schemas its routes declare. */
export interface PlannedRemote extends PlannedModule {
  record: RemoteRecord;
  /** The variable that holds the service's origin: `ORDERS_SERVICE_URL`. */
  serviceUrl: string;
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
}

/**
 * The remote modules as the templates see them: the fields and access the resource had here (its
 * references to resources that stay turned into plain columns, as in the service), never cached.
 */
export function plannedRemotes(records: readonly RemoteRecord[], planning: RemotePlanning): PlannedRemote[] {
  const { features, auth, replicas, contextOf } = planning;
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
      sample: remoteSample(fields),
      moveRows: moveRowsScript(features, names.table),
    };
  });
}

/** `await fastify.register(orders, { … });` as Biome prints it: one line where it fits. */
function registration(names: ResourceNames): string {
  const entries = [`prefix: '/v1/${names.name}'`, `baseUrl: config.${serviceUrlVariable(names)}`];
  return objectCall('  ', `await fastify.register(${names.camel}Service, `, entries, ');');
}

/**
 * What the remote modules add to the project as a feature would: each one's variable (in
 * `.env.example`, `src/config.ts` and the README's table) and its registration in `src/app.ts`.
 */
export function remoteModules(records: readonly RemoteRecord[]): Feature {
  const modules = records.map((record) => ({ record, names: resourceNames(record.name) }));
  return {
    id: remoteModulesFeature,
    env: modules.map(({ record, names }) => ({
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
    })),
    readme: [
      ...modules.map(({ names }) => ({
        place: 'readmeReadyDegraded',
        text: `; \`200\` with \`"status":"degraded"\` and \`${names.name}-service: degraded\` while the ${names.name} service is down (its routes answer \`503\`, the rest keeps serving)`,
      })),
      { place: 'readmeServices', template: 'readme-services.md.hbs' },
    ],
    snippets: modules.flatMap(({ names }) => [
      {
        place: 'appImports',
        import: `import ${names.camel}Service from './modules/${names.name}/routes.js';`,
      },
      { place: 'appPlugins', order: 125, text: registration(names) },
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
