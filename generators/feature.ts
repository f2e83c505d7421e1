import type { TemplateData } from '../src/plan.js';
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
 * Either `text`, or `template`: a file under the feature's `templates/<id>/_places/`, rendered
 * with the template data (for long text such as a README section), its final line break dropped.
 */
export type Snippet = {
  /** The place, named by the template that holds it: `appImports`, `appPlugins`, … */
  place: string;
  /** Lower first; snippets of equal order keep the order of the features. Default 0. */
  order?: number;
} & ({ text: string | ((data: SnippetData) => string) } | { template: string });

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
  env?: readonly EnvVariable[];
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
  /** The scope a token needs to delete one of the example module's items. */
  itemsDeleteScope?: string;
  /** The SQL server database's names for the templates shared with the other servers. */
  dialect?: SqlDialect;
  /** Text it adds to shared files at the places their templates name. */
  snippets?: readonly Snippet[];
  /** Files assembled from every feature of the project (compose file, Kubernetes ConfigMap). */
  generate?: (project: ProjectFeatures) => readonly GeneratedFile[];
}
