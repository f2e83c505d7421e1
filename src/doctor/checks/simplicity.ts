import type { StaticCheck } from '../findings.js';
import { FRAMEWORK_PACKAGES, type Project } from '../project.js';
import { packageOf } from './helpers.js';

const DI_CONTAINERS = ['inversify', 'tsyringe', 'typedi', 'awilix', 'bottlejs', 'injection-js'];

/** Deprecated or renamed packages, and what replaces them. */
const DEPRECATED: Record<string, string> = {
  request: 'fetch (built into Node 18+) or undici',
  'request-promise': 'fetch (built into Node 18+)',
  'request-promise-native': 'fetch (built into Node 18+)',
  'node-uuid': 'crypto.randomUUID()',
  '@hapi/joi': 'joi',
  jade: 'pug (jade was renamed in 2016)',
  crypto: "node:crypto (the npm package 'crypto' is an empty placeholder)",
  'bcrypt-nodejs': 'bcrypt or node:crypto scrypt',
  csurf: 'SameSite cookies or a maintained CSRF package',
  'body-parser': 'express.json() and express.urlencoded() (built into Express since 4.16)',
};

// Used without an import: loaded by a framework, a CLI or a config string, or a framework's peer
// (known here for projects whose node_modules is not installed).
const IMPLICIT = new Set([
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'reflect-metadata',
  'rxjs',
  'class-transformer',
  'tslib',
  'pg-hstore',
  'pino-pretty',
  'source-map-support',
]);

// ORMs and query builders load their database driver by name from configuration.
const LOADS_DRIVERS = ['typeorm', 'sequelize', 'knex', 'objection', '@mikro-orm/core'];
const DRIVERS = ['pg', 'pg-hstore', 'mysql', 'mysql2', 'mariadb', 'sqlite3', 'better-sqlite3', 'tedious', 'oracledb'];

function frameworksIn(project: Project): string[] {
  const names = Object.values(FRAMEWORK_PACKAGES).filter((name) => name in project.dependencies);
  // NestJS runs on Express or Fastify: those are its platform, not a second framework.
  if (names.includes('@nestjs/core'))
    return ['@nestjs/core', ...names.filter((name) => name === 'koa' || name === 'hono')];
  return names;
}

/** Production dependencies nothing refers to: not imported, not in a script, not named in code or config. */
export function unusedDependencies(project: Project): string[] {
  const drivers = new Set(LOADS_DRIVERS.some((name) => name in project.dependencies) ? DRIVERS : []);
  const scripts = JSON.stringify(project.packageJson.scripts ?? {});
  const config = project.texts
    .filter((file) => !/(?:^|\/)(?:package(?:-lock)?\.json|sound-backend\.json)$/.test(file.path))
    .map((file) => file.text)
    .join('\n');
  // The cheap tests first; then the literals of the code (every import's module is one), only
  // until each dependency left is named.
  const left = new Set(
    Object.keys(project.dependencies).filter(
      (name) =>
        !drivers.has(name) &&
        !IMPLICIT.has(name) &&
        !project.peers.has(name) &&
        !name.startsWith('@types/') &&
        !scripts.includes(name) &&
        !config.includes(name),
    ),
  );
  for (const file of project.sources) {
    if (left.size === 0) break;
    for (const literal of file.literals) {
      const name = packageOf(literal.value);
      if (name !== undefined) left.delete(name);
    }
  }
  return Object.keys(project.dependencies).filter((name) => left.has(name));
}

const dependencyEvidence = (names: string[], detail: (name: string) => string) =>
  names.map((name) => ({ file: 'package.json', detail: `${name}: ${detail(name)}` }));

export const simplicityChecks: StaticCheck[] = [
  {
    id: 'one-framework',
    mistake: 4,
    run(project) {
      const frameworks = frameworksIn(project);
      if (frameworks.length <= 1) return undefined;
      return {
        severity: 'low',
        title: 'More than one web framework',
        evidence: [{ file: 'package.json', detail: `depends on ${frameworks.join(', ')}` }],
        fix: 'Serve every route with one framework; two mean two middleware stacks, error handlers and sets of security settings to keep in step.',
      };
    },
  },
  {
    id: 'di-container',
    mistake: 4,
    run(project) {
      const containers = DI_CONTAINERS.filter((name) => name in project.dependencies);
      if (containers.length === 0) return undefined;
      return {
        severity: 'low',
        title: 'A dependency-injection container in a service that plain modules can wire',
        evidence: dependencyEvidence(containers, () => 'a DI container'),
        fix: 'Pass dependencies as function arguments or plugin options; a container hides who uses what and adds start-up cost.',
      };
    },
  },
  {
    id: 'deprecated-dependency',
    mistake: 4,
    run(project) {
      const names = Object.keys(DEPRECATED).filter((name) => name in project.dependencies);
      if (names.length === 0) return undefined;
      return {
        severity: 'low',
        title: 'Deprecated or redundant dependencies',
        evidence: dependencyEvidence(names, (name) => `use ${DEPRECATED[name]}`),
        fix: 'Replace each with what its line says and remove it from package.json.',
      };
    },
  },
  {
    id: 'unused-dependency',
    mistake: 4,
    claimsAbsence: true,
    run(project) {
      const names = unusedDependencies(project);
      if (names.length === 0) return undefined;
      return {
        severity: 'low',
        title: 'Dependencies nothing uses',
        evidence: dependencyEvidence(names, () => 'no file imports or names it'),
        fix: 'Remove them: every dependency is installed, audited and trusted by everyone who runs the service.',
      };
    },
  },
];
