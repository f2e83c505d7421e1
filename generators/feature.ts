import type { FieldSpec } from '../src/fields.js';
import type { TemplateData } from '../src/plan.js';
import type { CiPart } from './ci.js';
import type { ComposePart } from './compose.js';

/** An environment variable a feature reads, documented in `.env.example`. */
export interface EnvVariable {
  name: string;
  value: string;
  comment: string;
  /** A credential (or a URL that may hold one): deployments keep it out of plain configuration. */
  secret?: boolean;
  /**
   * Empty in `.env.example`, but `create` writes a random value into the project's `.env`, so
   * that development keeps one value across restarts (production sets its own).
   */
  devSecret?: boolean;
  /** Its value in a Kubernetes cluster's ConfigMap, where it differs from the development one. */
  inCluster?: string;
  /**
   * Where it goes in `src/config.ts` and the README table: lower first, equal orders keep the
   * order of the features (`.env.example` keeps it always). Default 0.
   */
  order?: number;
  /**
   * How `src/config.ts` validates it and what it turns into. Absent for a variable the app
   * does not read through its configuration (one a library reads itself).
   */
  schema?: ConfigSchema;
  /**
   * Its row in the README's environment table, or rows (a row may document the variables
   * after it too, or ones no entry declares). Absent: another entry's row names it.
   */
  readme?: ReadmeRow | readonly ReadmeRow[];
}

/** Text written into the project that may depend on it, e.g. `(data) => \`${data.name}:\``. */
export type ProjectText = string | ((data: SnippetData) => string);

/** TypeScript written as it is into `src/config.ts` (an expression, not a string to quote). */
export interface Code {
  code: string;
}

/**
 * A variable's TypeBox schema in `src/config.ts`, a value it turns into in the `Config` type,
 * and the cases `test/config.test.ts` draws from it.
 */
export interface ConfigSchema {
  /** `Type.Integer`, `Type.String`, or `Type.Enum` of these values. */
  type: 'integer' | 'string' | readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** A regular expression's source, or code naming a constant of `helpers`. */
  pattern?: string | Code;
  /** Absent: the variable is required, and every valid configuration must give it. */
  default?: number | ProjectText;
  /** The expectation printed when a value is rejected: `PORT: expected <description>, got …`. */
  description: string;
  /** A comment line above it in the schema. */
  comment?: string;
  /** A check beyond the schema: a function of `value` (TypeBox's `Type.Refine`). */
  refine?: string;
  /** A rejected value is not echoed in the problem line (it ends up in logs), only its length. */
  redacted?: boolean;
  /**
   * Required when NODE_ENV=production although it has a default: `why` is the comment above
   * the check, `hint` follows the problem line (`NAME: required when …`).
   */
  requiredInProduction?: { why: string; hint: string };
  /** What `loadConfig` returns for it, when it is not the validated value (a list, seconds). */
  derived?: DerivedField;
  /** A field `loadConfig` adds from it, with a name of its own (a path from a URL). */
  adds?: DerivedField & { name: string };
  /** A value it accepts, and what `loadConfig` then returns: the parsing test gives it. */
  example?: { value: string; loaded: string | number | readonly string[] };
  /** A value it refuses: the test expects exactly its problem line. */
  rejects?: string;
}

/** A field of the `Config` type that `loadConfig` computes from the validated environment. */
export interface DerivedField {
  /** Its TypeScript type; absent when it keeps the validated type (a default made at start). */
  type?: string;
  /** Its doc comment in the `Config` type. */
  doc?: string;
  /** The expression that computes it from `parsed`, the validated environment. */
  value: string;
  /** The expression the defaults test expects it to equal (`15 * 60`, `[]`). */
  expected: string;
}

/** A row of the README's environment table: its variables, what they mean, their defaults. */
export interface ReadmeRow {
  /** The variables the row documents; the entry's own by default. */
  names?: readonly string[];
  meaning: ProjectText;
  default: ProjectText;
}

/** What `src/config.ts` needs for a feature's variables beyond their schemas. */
export interface ConfigCode {
  /** Named imports, e.g. `{ from: 'node:crypto', names: ['randomBytes'] }`. */
  imports?: readonly { from: string; names: readonly string[] }[];
  /** Declarations above the schema (constants and functions its entries use). */
  helpers?: string;
  /** Statements `readConfig` runs on a valid `config` before it returns it. */
  onRead?: string;
}

/**
 * An OpenAPI security scheme (`type: 'http'` with `scheme`, or `type: 'apiKey'` with `in` and
 * `name`), field by field as `src/plugins/docs.ts` writes it.
 */
export type SecurityScheme = Readonly<Record<string, string>>;

/** A file made from every rendered feature rather than from one template. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** What a feature's `generate` sees: the project and every feature it renders, in order. */
export interface ProjectFeatures {
  name: string;
  features: readonly Feature[];
}

/** What a snippet's text is made from: the template data, with the places not yet filled. */
export type SnippetData = Omit<TemplateData, 'places'>;

/**
 * Text a feature adds to a shared file at one of the places the file's template names
 * (`{{#each places.appPlugins}}`), so that the shared template never tests for a feature.
 * The text is written as it must appear, indented and formatted, without a final line break.
 * A `text` function also sees every feature rendered (to gather their data, as the compose file
 * does); when it returns empty text, the snippet adds nothing to the place (a `text` of `''`
 * is an empty line).
 * Either `text`; or `template`: a file under the feature's `templates/<id>/_places/`, rendered
 * with the template data (for long text such as a README section, or text with a place of its
 * own, which must then hold text snippets only), its final line break dropped; or `import`.
 * A template may give a place a default, written when no feature fills it
 * (`{{#each places.loggerOptions}}…{{else}}…{{/each}}`): a feature then replaces it.
 */
export type Snippet = {
  /** The place, named by the template that holds it: `appImports`, `appPlugins`, … */
  place: string;
  /** Lower first; snippets of equal order keep the order of the features. Default 0. */
  order?: number;
  /**
   * Left out of projects this does not hold for: one without resources, text that only holds
   * beside another feature (a compose command with Docker); absent, it always applies.
   */
  when?: (data: SnippetData) => boolean;
} & (
  | { text: string | ((data: SnippetData, features: readonly Feature[]) => string) }
  | { template: string }
  | {
      /**
       * One import declaration, `import a, { b, type C } from 'module';`. A place holds imports or
       * text, not both: its imports, every feature's, are merged by module (so that two features
       * may each import a name from one) and sorted as Biome sorts them.
       */
      import: string;
    }
);

/**
 * What a SQL server database tells the templates it shares with the others
 * (`templates/db-server/`), as `{{dialect.table}}`: the few names where their code differs.
 */
export interface SqlDialect {
  /** The server, as messages name it. */
  server: string;
  /** The port a DATABASE_URL without one reaches. */
  defaultPort: number;
  /** Drizzle's module of column types and tables. */
  core: string;
  /** Its function that declares a table. */
  table: string;
  /** Column builders the schema imports besides the common ones, e.g. for ids. */
  columns: readonly string[];
  /** The column builder of a fixed-length hex digest. */
  hexColumn: string;
}

/** A column builder of src/db/schema.ts: `numeric('total', { precision: 10, scale: 2 })`. */
export interface ColumnCode {
  code: string;
  /** The builders it calls, which the schema imports from the dialect's module. */
  imports: readonly string[];
  /** A declaration the schema needs above its tables (a custom type), by its name. */
  helper?: { name: string; code: string };
  /** A default cannot be declared as the API gives it (the column holds another form): the repository writes it. */
  defaultless?: true;
}

/**
 * How a database's schema declares a resource's table: its table function, the columns every
 * resource has, and one column for each type of field (src/resource-fields.ts assembles them).
 */
export interface SchemaColumns {
  /** Its table function: `pgTable`. */
  table: string;
  /** Drizzle's module of them, and of `alias()`: `drizzle-orm/pg-core`. */
  core: string;
  /** A column that holds a UUID: ids, references. */
  uuid: (column: string) => ColumnCode;
  /** The owner of a row where there is no users table: an API key's owner, an OpenID subject. */
  principal: (column: string) => ColumnCode;
  /** A point in time, as the API shows it: ISO 8601 in UTC. */
  timestamp: (column: string) => ColumnCode;
  /** A field's column (without NOT NULL, default or keys). */
  field: (field: FieldSpec, column: string) => ColumnCode;
  /** Why a field cannot be declared in this database (a decimal too wide), or undefined. */
  refuse?: (field: FieldSpec) => string | undefined;
}

/** A column of a drizzle-kit snapshot, as the SQL of a migration declares it. */
export interface SnapshotColumn {
  name: string;
  type: string;
  primaryKey?: boolean;
  notNull?: boolean;
  autoincrement?: boolean;
  default?: unknown;
}

/**
 * The statements of a change of tables in a database's SQL, as drizzle-kit writes them there
 * (src/derived-migration.ts writes the rest from the plan's initial migration).
 */
export interface MigrationSql {
  quote: (name: string) => string;
  addColumn: (table: string, column: SnapshotColumn) => string;
  dropColumn: (table: string, column: string) => string;
  dropIndex: (table: string, index: string) => string;
  dropTable: (table: string) => string;
  /**
   * Constraints changed in place; absent where the database cannot, and drizzle-kit rebuilds the
   * table instead (a new one, the rows copied, renamed), foreign keys declared inside it.
   */
  constraints?: {
    addUnique: (table: string, name: string, columns: readonly string[]) => string;
    dropUnique: (table: string, name: string) => string;
    dropForeignKey: (table: string, name: string) => string;
  };
}

/** ` DEFAULT <value>` of a snapshot's column, as drizzle-kit writes it; empty without one. */
export const defaultSql = (column: SnapshotColumn) =>
  column.default === undefined ? '' : ` DEFAULT ${String(column.default)}`;

/**
 * One choice of the catalogue (or the base every project gets): a template
 * folder that mirrors the destination, plus what it adds to shared files.
 */
export interface Feature {
  /** Also the template folder under `templates/`. */
  id: string;
  dependencies?: readonly string[];
  /**
   * Dependencies needed only beside another feature, keyed by its id: e.g. the tracing of
   * PostgreSQL queries with `db-postgres`.
   */
  dependenciesWith?: Readonly<Record<string, readonly string[]>>;
  devDependencies?: readonly string[];
  scripts?: Readonly<Record<string, string>>;
  /**
   * Its variables, in `.env.example` order (also the order of the deployment's ConfigMap and
   * Secret, and of the derived fields of `Config`).
   */
  env?: readonly EnvVariable[];
  /** What `src/config.ts` needs for its variables beyond their schemas. */
  configCode?: ConfigCode;
  /** Scripts a new user runs once before `dev`, in order (e.g. `db:migrate`). */
  firstRun?: readonly string[];
  /** Dependencies whose install scripts must run (native builds). */
  buildsNative?: readonly string[];
  /**
   * Template folders shared with other values of the same kind (e.g. the cache interface that
   * memory, Redis and Memcached implement), rendered once, before this feature.
   */
  uses?: readonly Feature[];
  /**
   * The credentials this feature accepts, as OpenAPI security schemes by name: the document
   * lists every feature's, and asks for one of them on each operation not marked public.
   */
  securitySchemes?: Readonly<Record<string, SecurityScheme>>;
  /** What the feature adds to `docker-compose.yml` when Docker is chosen: app settings, servers. */
  compose?: ComposePart;
  /** What the feature adds to the CI job: servers the tests run against, their variables. */
  ci?: CiPart;
  /** It declares the users table: a row's owner is one of its ids (a foreign key), not a principal's. */
  usersTable?: true;
  /**
   * What a service made by `extract` renders in its place: a feature that verifies the monolith's
   * credentials instead of issuing its own. The service's templates then see that feature, not
   * this one's catalogue value (`has.<value>`).
   */
  inService?: Feature;
  /**
   * Its credentials stay in the monolith with their table (API keys): a module `extract` moved out
   * is called with the principal they prove, signed with a secret the monolith shares with it.
   */
  signsForServices?: true;
  /**
   * Its principals carry the roles their token names (the monolith's `roles` claim): a shared
   * resource's writes need `admin` among them (`has.tokenRoles`).
   */
  tokenRoles?: true;
  /** The scope a token needs to delete one of the example module's items. */
  itemsDeleteScope?: string;
  /**
   * Its credentials are stored with the scopes they were made with (API keys): where a route needs
   * a scope, they carry it (`has.keyScopes`); where bearer tokens sign the tests in, a test of
   * their own shows it.
   */
  storedScopes?: true;
  /** The SQL server database's names for the templates shared with the other servers. */
  dialect?: SqlDialect;
  /** How its schema declares a resource's columns. */
  schemaColumns?: SchemaColumns;
  /** A database's migration statements, for a migration derived without drizzle-kit. */
  migrationSql?: MigrationSql;
  /**
   * A database's shell script that copies a table's rows into another database of its kind, once
   * `extract` moved the table's module into a service: its lines, comments included.
   */
  moveRows?: (table: string) => string[];
  /**
   * The same database feature for a database of another name, its compose server named `host`:
   * the database of its own that a service made by `extract` gets (`orders_service`), in its own
   * project (server `db`) and in the monolith's compose file (`orders-service-db`).
   */
  ownDatabase?: (database: string, host: string) => Feature;
  /** The shell command that creates the database `database` on this machine's server. */
  createDatabase?: (database: string) => string;
  /** Text it adds to shared files at the places their templates name. */
  snippets?: readonly Snippet[];
  /** Its sections and lines of the project's README, at the places `README.md.hbs` names. */
  readme?: readonly Snippet[];
  /** Its lines in the shared test files (`shutdown.test.ts`, `logging.test.ts`, …), at their places. */
  tests?: readonly Snippet[];
  /**
   * Counts rate limits in a store every instance shares: the README of a project without it
   * names this choice as the way to one limit across replicas.
   */
  sharesRateLimits?: boolean;
  /** Files assembled from every feature of the project (compose file, Kubernetes ConfigMap). */
  generate?: (project: ProjectFeatures) => readonly GeneratedFile[];
}

/** Import snippets for one place, a declaration each (see `Snippet`). */
export function importsAt(place: string, declarations: readonly string[]): Snippet[] {
  return declarations.map((declaration) => ({ place, import: declaration }));
}
