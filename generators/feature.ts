/** An environment variable a feature reads, documented in `.env.example`. */
export interface EnvVariable {
  name: string;
  value: string;
  comment: string;
}

/**
 * One choice of the catalogue (or the base every project gets): a template
 * folder that mirrors the destination, plus what it adds to shared files.
 */
export interface Feature {
  /** Also the template folder under `templates/`. */
  id: string;
  dependencies?: readonly string[];
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
}
