import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

// Each `description` is the expectation printed when a value is rejected.
const EnvSchema = Type.Object({
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 3000,
    description: 'an integer 0..65535',
  }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'a host name or address' }),
  NODE_ENV: Type.Enum(['development', 'test', 'production'], {
    default: 'development',
    description: 'one of development, test, production',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'one of fatal, error, warn, info, debug, trace, silent',
  }),
  DATABASE_URL: Type.String({
    pattern: '^file:.+$',
    default: 'file:./data/app.db',
    description: 'a SQLite URL like file:./data/app.db',
  }),
  CORS_ORIGINS: Type.String({
    pattern: '^(https?://[^/,\\s]+(,https?://[^/,\\s]+)*)?$',
    default: '',
    description: 'a comma list of origins like https://app.example.com',
  }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 100, description: 'an integer >= 1' }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({
    minimum: 1,
    default: 60000,
    description: 'an integer >= 1',
  }),
  BODY_LIMIT: Type.Integer({
    minimum: 1,
    default: 1048576,
    description: 'an integer >= 1 (bytes)',
  }),
});

type Env = Static<typeof EnvSchema>;

export type Config = Omit<Env, 'CORS_ORIGINS'> & {
  CORS_ORIGINS: string[];
  /** Filesystem path of the SQLite database, from DATABASE_URL. */
  DATABASE_PATH: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
  }
}

/** Builds the configuration from an env object; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty value (`PORT=` in .env) means "use the default", as most dotenv users expect.
  const raw: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]?.trim();
    if (value) raw[key] = value;
  }
  const candidate = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...raw })) as Record<
    string,
    unknown
  >;
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    if (!Value.Check(schema, candidate[key])) {
      problems.push(
        `${key}: expected ${(schema as { description?: string }).description}, got ${JSON.stringify(raw[key])}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const parsed = candidate as Env;
  return {
    ...parsed,
    CORS_ORIGINS: parsed.CORS_ORIGINS ? parsed.CORS_ORIGINS.split(',') : [],
    DATABASE_PATH: parsed.DATABASE_URL.slice('file:'.length),
  };
}

/** Reads .env and process.env once at start; on bad values prints one line each and exits 1. */
export function readConfig(): Config {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    const config = loadConfig(process.env);
    if (config.DATABASE_PATH !== ':memory:') {
      mkdirSync(dirname(config.DATABASE_PATH), { recursive: true });
    }
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
