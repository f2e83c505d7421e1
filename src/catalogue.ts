/**
 * Every choice the tool offers, in one place. Flags, prompts, validation, help
 * text, the features to render and the test matrix are all derived from these
 * lists. The value `kind: value` is rendered by the feature `kind-value`: its
 * module `generators/kind-value.ts` and its folder `templates/kind-value/`, the
 * only places besides this file and the tests that name it
 * (test/unit/catalogue-shape.test.ts). The README's "Adding a value" lists the
 * steps.
 */
export const choices = {
  db: {
    label: 'Database',
    multiple: false,
    default: 'sqlite',
    values: {
      sqlite: 'SQLite (embedded, runs with no server)',
      postgres: 'PostgreSQL (node-postgres pool, read replicas)',
      mysql: 'MySQL 8 or MariaDB (mysql2 pool, read replicas)',
    },
  },
  auth: {
    label: 'Authentication',
    multiple: true,
    default: ['jwt'],
    values: {
      jwt: 'JWT access tokens with rotating refresh tokens (email + password)',
      apikey: 'API keys in the x-api-key header (hashed, revocable, made by npm run apikey:create)',
      oauth2: 'OAuth2 resource server: bearer JWTs from your OpenID provider, checked against its JWKS',
      none: 'None (the API is open)',
    },
  },
  cache: {
    label: 'Cache',
    multiple: false,
    default: 'memory',
    values: {
      memory: 'In-memory LRU with TTL (per process)',
      redis: 'Redis through ioredis (shared by every instance, rate limits too)',
      memcached: 'Memcached through memjs (shared by every instance)',
      none: 'None (reads go to the database)',
    },
  },
  monitoring: {
    label: 'Monitoring',
    multiple: true,
    default: ['prometheus'],
    values: {
      prometheus: 'Prometheus metrics on /metrics, alert rules and a Grafana dashboard',
      opentelemetry: 'OpenTelemetry traces over OTLP (requests, database, cache, outbound HTTP), with Jaeger',
      elk: 'Logs in Elastic Common Schema, shipped by Filebeat to Elasticsearch and Kibana',
      none: 'None (JSON logs and health probes only)',
    },
  },
  deploy: {
    label: 'Deployment',
    multiple: true,
    default: ['docker'],
    values: {
      docker: 'Dockerfile and docker-compose.yml',
      kubernetes: 'Kubernetes manifests with an autoscaler, applied with kustomize (needs a database server)',
      none: 'None',
    },
  },
  ci: {
    label: 'Continuous integration',
    multiple: false,
    default: 'github',
    values: {
      github: 'GitHub Actions',
      none: 'None',
    },
  },
} as const;

/**
 * Rules between choices that the lists above cannot express, checked once every choice is made
 * (`checkCombination`): the values they name live here rather than in the code that checks.
 */
export const combinationRules = {
  /** Values of a list kind that cannot be chosen together, and why (the message ends with it). */
  exclusive: [
    {
      kind: 'auth',
      values: ['jwt', 'oauth2'],
      reason:
        'both take an Authorization: Bearer token, and items owned by local users cannot belong to OpenID subjects: choose one of them (either combines with apikey)',
    },
  ],
  /** Databases that live in the service's own file system, one copy per process. */
  embeddedDatabases: ['sqlite'],
  /**
   * Deployments that run at least two replicas, where an embedded database would be a separate
   * file in each: they need a database server every replica shares.
   */
  replicatedDeployments: ['kubernetes'],
} as const satisfies {
  exclusive: readonly { kind: ChoiceKind; values: readonly string[]; reason: string }[];
  embeddedDatabases: readonly ChoiceValue<'db'>[];
  replicatedDeployments: readonly ChoiceValue<'deploy'>[];
};

/** The choices the help and the messages of `add` give as examples. */
export const addExamples = {
  /** A single choice to add or switch. */
  choice: 'cache=redis',
  /** A value added to a list kind. */
  listValue: 'monitoring=elk',
  /** A switch that leaves data behind. */
  database: 'db=postgres',
} as const;

/** The choices the help and the messages of `remove` give as examples. */
export const removeExamples = {
  /** A value taken out of a list kind. */
  listValue: 'monitoring=elk',
  /** Another, of a list kind whose values each bring tables. */
  tableValue: 'auth=apikey',
  /** A kind emptied. */
  kind: 'cache',
} as const;

export const packageManagers = ['npm', 'pnpm', 'yarn', 'bun'] as const;

export type ChoiceKind = keyof typeof choices;
export type ChoiceValue<K extends ChoiceKind> = keyof (typeof choices)[K]['values'] & string;
export type PackageManager = (typeof packageManagers)[number];

type SingleKinds = { [K in ChoiceKind]: (typeof choices)[K]['multiple'] extends false ? K : never }[ChoiceKind];
type MultipleKinds = Exclude<ChoiceKind, SingleKinds>;

/** The resolved stack: one value per single choice, a list per multiple choice. */
export type Stack = { [K in SingleKinds]: ChoiceValue<K> } & { [K in MultipleKinds]: ChoiceValue<K>[] };

export const choiceKinds = Object.keys(choices) as ChoiceKind[];

export function valuesOf(kind: ChoiceKind): string[] {
  return Object.keys(choices[kind].values);
}
