import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appServersOf, composeFile } from '../generators/compose.js';
import { configFilledPlaces } from '../generators/config.js';
import type { EnvVariable, Feature, SnippetData, SqlDialect } from '../generators/feature.js';
import { featureModules, featuresFor } from '../generators/index.js';
import { type Access, type AccessPlan, accessOf, accessPlan, accessTargets, scopePlan } from './access.js';
import type { Stack } from './catalogue.js';
import { UsageError } from './errors.js';
import type { FieldSpec } from './fields.js';
import { arrayLiteral, commentLines, quote } from './formatting.js';
import { importsOf } from './imports.js';
import { formatJson } from './json.js';
import { chosenValues, type ProjectOptions } from './options.js';
import { packageJsonFor } from './package-json.js';
import { type PackageManagerCommands, packageManagerCommands } from './package-managers.js';
import { isRemote, type PlannedRemote, plannedRemotes, remoteModules } from './remote.js';
import { type ResourceNames, resourceNames } from './resource.js';
import {
  defaultFields,
  deleteProblems,
  type ModuleCode,
  moduleCode,
  type PlannedField,
  plannedFields,
} from './resource-fields.js';
import { tableCode } from './resource-table.js';
import { type ResourceTests, resourceTests } from './resource-tests.js';
import { derivedMigration, derivedSnapshot } from './snapshots.js';

export const templatesRoot = fileURLToPath(new URL('../templates/', import.meta.url));
export const manifestFile = 'sound-backend.json';
/** The development environment `create` writes beside `.env.example`: git-ignored, the user's. */
export const devEnvFile = '.env';

/** One file of the project: a template to render or copy, or content made here. */
export type PlannedFile =
  | { path: string; kind: 'render' | 'copy'; source: string; data?: Record<string, unknown> }
  | { path: string; kind: 'write'; content: string }
  | {
      path: string;
      kind: 'derive';
      /** A planned file this one is made from, read once it is rendered. */
      from: string;
      derive: (rendered: string) => string;
    };

/** A module `add resource` made: its names, fields, table, and when its migration was written (drizzle's `when`). */
export interface PlannedResource extends PlannedModule {
  migration: { idx: number; tag: string; when: number };
  /**
   * Its fields were given (`add resource orders total:decimal(10,2)`): drizzle-kit writes its
   * migration. Without them it has the example module's, and its migration is that table's.
   */
  typed: boolean;
  /** Its declaration in src/db/schema.ts. */
  schema: string;
  /** What the manifest recorded of it. */
  record: ResourceRecord;
}

/** What the manifest records of a resource: enough to render it again. */
export interface ResourceRecord {
  name: string;
  /** Milliseconds since the epoch, written as its migration's `when`. */
  createdAt: number;
  /**
   * Its migration's tag (`0002_orders`), numbered after the last migration of the journal it was
   * added to. Manifests from before it number resources by their order, after the initial one.
   */
  migration?: string;
  /**
   * Its fields (`add resource orders total:decimal(10,2) …`), in the order given. Without them,
   * the resource has the example module's: a unique name and an optional description.
   */
  fields?: FieldSpec[];
  /** Unique keys of several fields, by property: `[['orderId', 'productId']]`. */
  unique?: string[][];
  /** Who may see its rows (src/access.ts); owned unless recorded. */
  access?: Exclude<Access, 'owned'>;
  /**
   * `extract` moved it into a service of its own, listening on this port by default: the project
   * renders a client module for it (src/remote.ts), and no table, repository or local routes.
   * `service` is that project's name (its compose service and cluster Service), `path` its
   * folder from this project's (`../orders-service`); manifests from before they were recorded
   * have extract's defaults.
   */
  remote?: { port: number; service?: string; path?: string };
}

/** What every template sees. */
export interface TemplateData {
  name: string;
  generatorVersion: string;
  stack: Stack;
  /**
   * Each chosen value, by its name in the catalogue; each kind with a value, e.g.
   * `has.cache`; and each feature rendered, by its id in camel case, e.g. `has.cacheRemote`
   * for code shared by the networked caches.
   */
  has: Record<string, true>;
  /** The chosen package manager's commands: `{{pm.run}} dev`, `{{pm.lockfile}}`. */
  pm: PackageManagerCommands;
  /** Modules added with `add resource`, in the order they were added. */
  resources: PlannedResource[];
  /** The example module every project has (`items`). */
  example: PlannedModule;
  /** The same, by name: the order Biome sorts their imports in. */
  resourcesByName: PlannedResource[];
  /** Modules `extract` moved into services of their own: their routes call the service. */
  remotes: PlannedRemote[];
  /** The OpenAPI security scheme of each credential the chosen features accept, field by field. */
  securitySchemes: TemplateSecurityScheme[];
  /** The choice whose feature counts rate limits for every instance, which the README offers. */
  sharedRateLimitsChoice: { kind: string; value: string };
  /**
   * The scopes that routes require (`fastify.requireScope`), sorted: what an API key may be given;
   * `code` declares them as `SCOPES`.
   */
  scopes: { names: string[]; code: string };
  /** The SQL server database's names, where the templates it shares with the others differ. */
  dialect?: SqlDialect;
  /** A service made by `extract`: whose tokens it verifies. */
  identity?: ServiceIdentity;
  /** Its database on a local server: `app`, or a service's own (`orders_service`). */
  database: string;
  /**
   * What the resources' tables need in src/db/schema.ts: builders to import from the dialect's
   * module, and declarations above the tables (custom column types).
   */
  schemaNeeds: { imports: string[]; helpers: string[] };
  /**
   * What the features add to shared files, by place (`places.appPlugins`): each feature's
   * snippets for that place, in order; absent where no feature adds any. A snippet kept in a
   * template file is rendered before the files are, so templates only ever see text.
   */
  places: Record<string, PlaceText[]>;
}

/** A snippet's text, or the `_places/` template (full path) that renders it. */
export type PlaceText = string | { source: string };

/**
 * What one feature put at a place: a snippet's text (or its `_places/` template); one import
 * declaration as the feature wrote it, before the place merged it with the others from its module;
 * or, at a place whose text every feature shares (the `Config` type), its part of that text.
 */
export interface PlaceContribution<Text extends PlaceText = PlaceText> {
  /** The feature's id. */
  feature: string;
  text: Text;
  import?: true;
}

/** A place as the plan fills it: the texts its template iterates over, and who put what there. */
export interface FilledPlace<Text extends PlaceText = PlaceText> {
  texts: Text[];
  contributions: PlaceContribution<Text>[];
}

export interface TemplateSecurityScheme {
  name: string;
  fields: { key: string; value: string }[];
}

/**
 * How a service made by `extract` knows its callers: it keeps no users of its own and verifies
 * the tokens of the project it left, whose name is their issuer and audience. A feature that
 * issues tokens to users of its own renders its `inService` feature there instead.
 */
export interface ServiceIdentity {
  mode: 'verify';
  /** The monolith's name: the `iss` and `aud` of the access tokens it signs. */
  issuer: string;
  /**
   * Its database of its own on a database server (`orders_service`), where the monolith's is
   * `app`; services made before it was recorded use `app` too.
   */
  database?: string;
  /**
   * The port `.env.example` sets (extract's `--port`), so that it can run beside the monolith on
   * one machine; the code's default stays 3000, which its container listens on.
   */
  port?: number;
}

/** What a plan is made from: the choices, and the resources added since. */
export interface PlanInput extends Pick<ProjectOptions, 'name' | 'stack' | 'pm'> {
  resources?: readonly ResourceRecord[];
  /** A service made by `extract` (recorded in its manifest, so `add` and `upgrade` keep it). */
  identity?: ServiceIdentity;
}

export interface ProjectPlan {
  features: string[];
  /** Scripts a new user runs once before `dev`, in order. */
  firstRun: string[];
  /**
   * The servers (database, cache) the app needs before its first run: the compose services that
   * run them, when the project has a compose file, and the variables that reach them.
   */
  servers: { services: string[]; variables: string[]; inCompose: boolean };
  data: TemplateData;
  files: PlannedFile[];
  /** Variables `create` gives a random value in `.env`; with none, it writes no `.env`. */
  devSecrets: string[];
  /**
   * What each feature put at each place of `data.places`, made with it (src/contributions.ts
   * tells which files show them).
   */
  contributions: Record<string, PlaceContribution[]>;
}

/** Every path a project gets: the planned files and the manifest, sorted. */
export function writtenPaths(plan: ProjectPlan): string[] {
  return [...plan.files.map((file) => file.path), manifestFile].sort();
}

export type ListTemplates = (featureId: string) => string[];

/** The folder of a feature's snippet templates (see `Snippet`): not copied into the project. */
export const placesFolder = '_places';

/**
 * Files under `templates/<feature>/`, relative, with `/` separators, but its `_places/`; none for
 * a feature without a folder.
 */
export const listTemplateFiles: ListTemplates = (featureId) =>
  (existsSync(`${templatesRoot}${featureId}`)
    ? readdirSync(`${templatesRoot}${featureId}`, { recursive: true, withFileTypes: true })
    : []
  )
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`.slice(`${templatesRoot}${featureId}/`.length))
    .filter((file) => !file.startsWith(`${placesFolder}/`))
    .sort();

/** npm drops `.gitignore` from published packages, so the template is stored under another name. */
const storedNames: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };

const camelCase = (id: string) => id.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/** Where a template lands: `.hbs` is dropped and stored names are restored. */
export function destinationOf(templatePath: string): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((part) => storedNames[part] ?? part)
    .join('/');
}

/**
 * The security schemes of the features, as templates write them: each value inside single
 * quotes on a line of its own, so it may not hold a quote, a backslash or a line break, and
 * the line must fit the generated project's line width (the formatter would break it).
 */
export function securitySchemesOf(features: readonly Feature[]): TemplateSecurityScheme[] {
  // By name: the document must not depend on the order the options were given in.
  const schemes = features
    .flatMap((feature) => Object.entries(feature.securitySchemes ?? {}))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = schemes.map(([name]) => name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new Error(`Two features define the security scheme ${twice}`);
  return schemes.map(([name, scheme]) => ({
    name,
    fields: Object.entries(scheme).map(([key, value]) => {
      // docs.ts indents a field by four spaces: `    key: 'value',`.
      if (/['\\\n]/.test(value) || `    ${key}: '${value}',`.length > 100) {
        throw new Error(`Security scheme ${name}: ${key} must fit one line without quotes or backslashes`);
      }
      return { key, value };
    }),
  }));
}

/**
 * The features' snippets by place, each place's in order (stable: equal orders keep the
 * features'), without those whose text function gave empty text (a text of `''` is an empty
 * line); a place of imports is merged and sorted by module instead (`importsOf`).
 */
export function placesOf(features: readonly Feature[], data: SnippetData): Record<string, PlaceText[]> {
  return Object.fromEntries(Object.entries(filledPlacesOf(features, data)).map(([name, place]) => [name, place.texts]));
}

/** `placesOf`, with what each feature put at each place. */
export function filledPlacesOf(features: readonly Feature[], data: SnippetData): Record<string, FilledPlace> {
  const snippets = features
    .flatMap((feature) =>
      [...(feature.snippets ?? []), ...(feature.readme ?? []), ...(feature.tests ?? [])].map((snippet) => ({
        feature,
        snippet,
      })),
    )
    .filter(({ snippet }) => snippet.when?.(data) ?? true);
  const places: Record<string, FilledPlace> = {};
  for (const name of new Set(snippets.map(({ snippet }) => snippet.place))) {
    const here = snippets.filter(({ snippet }) => snippet.place === name);
    const imports = here.flatMap(({ feature, snippet }) =>
      'import' in snippet ? [{ feature: feature.id, text: snippet.import, import: true as const }] : [],
    );
    if (imports.length > 0) {
      if (imports.length < here.length) throw new Error(`The place ${name} mixes imports and text`);
      places[name] = { texts: importsOf(imports.map((each) => each.text)), contributions: imports };
      continue;
    }
    const texts = here
      .map((each, i) => ({ ...each, i }))
      .sort((a, b) => (a.snippet.order ?? 0) - (b.snippet.order ?? 0) || a.i - b.i)
      .map(({ feature, snippet }): PlaceContribution | null => {
        if ('template' in snippet)
          return {
            feature: feature.id,
            text: { source: `${templatesRoot}${feature.id}/${placesFolder}/${snippet.template}` },
          };
        if ('import' in snippet) throw new Error(`The place ${name} mixes imports and text`);
        const text = typeof snippet.text === 'string' ? snippet.text : snippet.text(data, features) || null;
        return text === null ? null : { feature: feature.id, text };
      })
      .filter((text) => text !== null);
    if (texts.length > 0) places[name] = { texts: texts.map((each) => each.text), contributions: texts };
  }
  return places;
}

/** The catalogue choice (`kind-value` feature id) whose feature shares rate limits between instances. */
function sharedRateLimitsChoice(): { kind: string; value: string } {
  const feature = Object.values(featureModules).find((each) => each.sharesRateLimits);
  if (feature === undefined) throw new Error('No feature shares rate limits, and the README offers one');
  const dash = feature.id.indexOf('-');
  return { kind: feature.id.slice(0, dash), value: feature.id.slice(dash + 1) };
}

/** `.env.example`: every variable the chosen features read, with its default and meaning. */
export function envExampleFor(variables: EnvVariable[]): string {
  return `${variables.map((variable) => `# ${variable.comment}\n${variable.name}=${variable.value}`).join('\n\n')}\n`;
}

/**
 * `.env`: `.env.example` with each development secret set by `makeSecret`. Not a planned file:
 * the manifest does not record it, so `add` never rewrites it.
 */
export function devEnvFor(plan: ProjectPlan, makeSecret: () => string): string {
  const example = plan.files.find((file) => file.path === '.env.example');
  if (example?.kind !== 'write') throw new Error('.env.example is not made by the plan');
  return plan.devSecrets.reduce(
    (content, name) => content.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${makeSecret()}`),
    example.content,
  );
}

/** Decides every file of a new project. Pure but for listing the template folders. */
export function planProject(
  options: PlanInput,
  generatorVersion: string,
  listTemplates: ListTemplates = listTemplateFiles,
): ProjectPlan {
  const features = featuresFor(options.stack, options.identity);
  const has: Record<string, true> = {};
  for (const [kind, value] of Object.entries(options.stack)) {
    const chosen = chosenValues(value);
    // A service made by extract renders another feature in place of some values' (`inService`):
    // its templates see that feature, not the value, whose code keeps users here.
    for (const item of chosen) {
      if (options.identity === undefined || !featureModules[`${kind}-${item}`]?.inService) has[item] = true;
    }
    // `has.cache`, `has.auth`: any value of the kind, for code shared by its backends.
    if (chosen.length > 0) has[kind] = true;
  }
  for (const feature of features) has[camelCase(feature.id)] = true;
  const columns = features.find((feature) => feature.schemaColumns)?.schemaColumns;
  const owner = features.some((feature) => feature.usersTable) ? 'users' : has.auth ? 'principal' : undefined;
  const schemaImports = new Set<string>();
  // A database server may have read replicas; a database file has none.
  const replicas = features.some((feature) => feature.dialect);
  const primary = replicas ? 'db.$primary' : 'db';
  const local = (options.resources ?? []).filter((record) => !isRemote(record));
  const remoteRecords = (options.resources ?? []).filter(isRemote);
  const { ownedTargets, sharedResources } = accessTargets(local, has.auth === true, exampleModule);
  const contextOf = (access: AccessPlan) => ({
    owned: access.readsOwned,
    primary,
    core: columns?.core ?? '',
    ownedTargets,
    ...(access.writeScope ? { writeScope: access.writeScope } : {}),
    writesOwnRows: access.writesOwnRows,
  });
  const schemaHelpers = new Map<string, string>();
  const resources = local.map((record, i): PlannedResource => {
    const names = resourceNames(record.name);
    const tag = record.migration ?? `${String(i + 1).padStart(4, '0')}_${names.table}`;
    const fields = plannedFields(record.fields ?? defaultFields, resourceNames);
    if (columns === undefined) throw new Error('A resource is planned without a database');
    for (const field of fields) {
      const refused = columns.refuse?.(field);
      if (refused) throw new UsageError(`Field "${field.name}" of ${record.name}: ${refused}.`);
    }
    const access = accessPlan(record.name, accessOf(record), has.auth === true, replicas);
    const table = tableCode({
      names,
      fields,
      unique: record.unique,
      columns,
      ...(access.owned && owner !== undefined ? { owner } : {}),
      keyedByOwner: access.readsOwned,
    });
    for (const name of table.imports) schemaImports.add(name);
    for (const helper of table.helpers) schemaHelpers.set(helper.name, helper.code);
    return {
      ...names,
      fields,
      access,
      code: moduleCode(names, fields, contextOf(access), record.unique),
      typed: record.fields !== undefined,
      ...cachingOf(fields, has.cache === true),
      record,
      schema: table.code,
      migration: { idx: Number(tag.slice(0, 4)), tag, when: record.createdAt },
    };
  });
  const deleteScope = features.find((feature) => feature.itemsDeleteScope)?.itemsDeleteScope;
  const storedScopes = features.some((feature) => feature.storedScopes);
  // Credentials that stay here (API keys): the services get their callers signed, scopes and all.
  const signsForServices = features.some((feature) => feature.signsForServices);
  const scopes = scopePlan({
    deleteScope,
    storedScopes,
    usersTable: owner === 'users',
    tokenRoles: features.some((feature) => feature.tokenRoles),
    sharedRecords: (options.resources ?? []).some((record) => accessOf(record) === 'shared'),
    modules: resources,
    signedScopes: signsForServices
      ? remoteRecords.flatMap(
          (record) => accessPlan(record.name, accessOf(record), has.auth === true, replicas).writeScope ?? [],
        )
      : [],
  });
  Object.assign(has, scopes.flags);
  const example = resourceNames(exampleModule);
  const exampleFields = plannedFields(defaultFields, resourceNames);
  const exampleAccess = accessPlan(exampleModule, 'owned', has.auth === true, replicas);
  const exampleCode = moduleCode(example, exampleFields, contextOf(exampleAccess));
  const exampleFolder: PlannedModule = {
    ...example,
    fields: exampleFields,
    access: exampleAccess,
    code: exampleCode,
    cached: has.cache === true,
  };
  if (deleteScope) exampleFolder.deleteScope = deleteScope;
  for (const module of [exampleFolder, ...resources]) {
    if (module.access.writeScope) module.deleteScope = module.access.writeScope;
    const problems = deleteProblems(module, resources);
    if (problems) module.deleteProblems = problems;
    const unique = local.find((record) => record.name === module.name)?.unique ?? [];
    module.tests = resourceTests(module, unique, resources, {
      auth: has.auth === true,
      owned: module.access.owned,
      usersTable: owner === 'users',
      ownedTargets,
      sharedResources,
      keysBesideTokens: storedScopes && has.authBearer === true,
    });
  }
  const remotes = plannedRemotes(remoteRecords, {
    features,
    auth: has.auth === true,
    replicas,
    contextOf,
    signsForServices,
    bearer: has.authBearer === true,
  });
  // The remote modules' variables and registrations, gathered as a feature's are.
  const withRemotes =
    remotes.length > 0
      ? [
          ...features,
          remoteModules(remoteRecords, { name: options.name, stack: options.stack, signsPrincipals: signsForServices }),
        ]
      : features;
  const snippetData: SnippetData = {
    name: options.name,
    generatorVersion,
    stack: options.stack,
    has,
    pm: packageManagerCommands[options.pm],
    resources,
    example: exampleFolder,
    resourcesByName: [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    remotes,
    securitySchemes: securitySchemesOf(features),
    scopes: { names: scopes.names, code: arrayLiteral('', 'export const SCOPES = ', scopes.names.map(quote), ';') },
    sharedRateLimitsChoice: sharedRateLimitsChoice(),
    dialect: features.find((feature) => feature.dialect)?.dialect,
    schemaNeeds: { imports: [...schemaImports].sort(), helpers: [...schemaHelpers.values()] },
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    database: options.identity?.database ?? 'app',
  };
  const filled: Record<string, FilledPlace> = {
    ...filledPlacesOf(withRemotes, snippetData),
    ...configFilledPlaces(withRemotes, snippetData),
  };
  const data: TemplateData = {
    ...snippetData,
    places: Object.fromEntries(Object.entries(filled).map(([name, place]) => [name, place.texts])),
  };
  // The tool itself, at the version that made the project, through npx: no generator dependency.
  const scripts = { generate: `npx --yes create-sound-backend@${generatorVersion}` };

  const port = options.identity?.port;
  const variables = withRemotes
    .flatMap((feature) => feature.env ?? [])
    .map((variable) =>
      variable.name === 'PORT' && port !== undefined ? { ...variable, value: String(port) } : variable,
    );
  const files: PlannedFile[] = [
    {
      path: 'package.json',
      kind: 'write',
      content: formatJson(packageJsonFor(options.name, options.pm, features, scripts)),
    },
    { path: '.env.example', kind: 'write', content: envExampleFor(variables) },
  ];
  for (const feature of features) {
    // The files gathered from every feature (compose, ConfigMap, Secret) have the remote modules' parts too.
    for (const generated of feature.generate?.({ name: options.name, features: withRemotes }) ?? []) {
      files.push({ path: generated.path, kind: 'write', content: generated.content });
    }
    for (const template of listTemplates(feature.id)) {
      files.push({
        path: destinationOf(template),
        kind: template.endsWith('.hbs') ? 'render' : 'copy',
        source: `${templatesRoot}${feature.id}/${template}`,
      });
    }
  }
  files.push(...moduleFiles(exampleFolder, listTemplates));
  files.push(...resourceFiles(resources, listTemplates));
  files.push(...remotes.flatMap((remote) => remoteFiles(remote, listTemplates)));

  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path) || file.path === manifestFile) throw new Error(`Two features write ${file.path}`);
    seen.add(file.path);
  }
  // Code-unit order: localeCompare would load ICU collation, a noticeable part of start-up.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    features: features.map((feature) => feature.id),
    firstRun: features.flatMap((feature) => feature.firstRun ?? []),
    servers: { ...appServersOf(features), inCompose: seen.has(composeFile) },
    data,
    files,
    devSecrets: variables.filter((variable) => variable.devSecret).map((variable) => variable.name),
    contributions: Object.fromEntries(Object.entries(filled).map(([name, place]) => [name, place.contributions])),
  };
}

/** A template path of a resource folder, with `__name__` standing for the resource's name. */
const resourcePath = (template: string, resource: ResourceNames) =>
  destinationOf(template).replaceAll('__name__', resource.name);

/** The example module every project has, rendered from the resource templates. */
const exampleModule = 'items';

/** What the module templates see of a module: its names, fields, and the scope a token needs to delete. */
export interface PlannedModule extends ResourceNames {
  fields: PlannedField[];
  /** Who may see and change its rows, and what its code does about it. */
  access: AccessPlan;
  /** Its fields' code, formatted for the templates. */
  code: ModuleCode;
  deleteScope?: string;
  /** routes.ts: the problems its delete answers (src/resource-fields.ts). */
  deleteProblems?: string;
  /** Its reads go through the cache (cache-aside); where a cache is chosen but they do not, why (comment lines). */
  cached: boolean;
  uncachedReason?: string;
  /** Its test's samples and cases (src/resource-tests.ts). */
  tests?: ResourceTests;
}

/**
 * Whether a module's reads may be cached: not when deleting a row it references deletes or
 * changes its rows (cascade, set null), which no cache entry would hear of.
 */
function cachingOf(fields: readonly PlannedField[], cache: boolean): Pick<PlannedModule, 'cached' | 'uncachedReason'> {
  const changedBy = fields.filter((field) => field.onDelete === 'cascade' || field.onDelete === 'set-null');
  if (!cache) return { cached: false };
  if (changedBy.length === 0) return { cached: true };
  const targets = changedBy.map((field) => `${field.target?.aSingular}`).join(' or ');
  return {
    cached: false,
    uncachedReason: commentLines(
      '  // ',
      `Read from the database, not the cache: deleting ${targets} deletes or changes these rows, which no cached copy would hear of.`,
    ),
  };
}

/**
 * A module's files and test from `templates/resource/` (and `resource-cache/` with a cache),
 * rendered with its names: the example module's, and each resource's.
 */
function moduleFiles(module: PlannedModule, listTemplates: ListTemplates): PlannedFile[] {
  return ['resource', ...(module.cached ? ['resource-cache'] : [])].flatMap((folder) =>
    listTemplates(folder).map(
      (template): PlannedFile => ({
        path: resourcePath(template, module),
        kind: 'render',
        source: `${templatesRoot}${folder}/${template}`,
        data: { resource: module },
      }),
    ),
  );
}

/**
 * A remote module's files: `templates/resource-remote/` (its routes call the service, its test
 * starts a fake one), and the resource's own schemas, which the routes still declare.
 */
function remoteFiles(remote: PlannedRemote, listTemplates: ListTemplates): PlannedFile[] {
  const schemas = listTemplates('resource').filter((template) => template.endsWith('/schemas.ts.hbs'));
  return [
    ...schemas.map((template) => ({ folder: 'resource', template })),
    ...listTemplates('resource-remote').map((template) => ({ folder: 'resource-remote', template })),
  ].map(
    ({ folder, template }): PlannedFile => ({
      path: resourcePath(template, remote),
      kind: 'render',
      source: `${templatesRoot}${folder}/${template}`,
      data: { resource: remote },
    }),
  );
}

/**
 * The files of each resource: its module and test, rendered as the example module's are; the
 * module list the app registers; and its migration, the items table of the initial migration
 * and snapshot under its name.
 */
function resourceFiles(resources: readonly PlannedResource[], listTemplates: ListTemplates): PlannedFile[] {
  if (resources.length === 0) return [];
  const files: PlannedFile[] = listTemplates('resources').map((template) => ({
    path: destinationOf(template),
    kind: template.endsWith('.hbs') ? 'render' : 'copy',
    source: `${templatesRoot}resources/${template}`,
  }));
  const derivedTables = resources.filter((resource) => !resource.typed);
  for (const resource of resources) files.push(...moduleFiles(resource, listTemplates));
  // A typed resource's migration is drizzle-kit's, written when it is added (src/migrations.ts).
  derivedTables.forEach((resource, i) => {
    const earlier = derivedTables.slice(0, i + 1);
    const { tag } = resource.migration;
    files.push(
      {
        path: `drizzle/${tag}.sql`,
        kind: 'derive',
        from: 'drizzle/0000_initial.sql',
        derive: (initial) => derivedMigration(initial, resource.table),
      },
      {
        path: `drizzle/meta/${tag.slice(0, 4)}_snapshot.json`,
        kind: 'derive',
        from: 'drizzle/meta/0000_snapshot.json',
        derive: (initial) =>
          derivedSnapshot(
            initial,
            earlier.map((each) => ({ table: each.table, tag: each.migration.tag })),
          ),
      },
    );
  });
  return files;
}
