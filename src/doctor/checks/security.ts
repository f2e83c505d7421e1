import type { Node } from '@babel/types';
import { at, type Evidence, missing, type StaticCheck } from '../findings.js';
import type { ParsedSource, Project, TextFile } from '../project.js';
import { lineCounter } from '../source.js';
import { calleeName, dottedName, keyName, nodesOf, propertyName } from '../syntax.js';
import {
  appSources,
  evidenceOf,
  firstImport,
  firstMatch,
  forFramework,
  type Match,
  matchAll,
  shippedSources,
} from './helpers.js';
import { callsOf, lacksOption, registrations } from './registrations.js';

const RATE_LIMIT_PACKAGES = [
  '@fastify/rate-limit',
  'express-rate-limit',
  'rate-limiter-flexible',
  '@nestjs/throttler',
  'koa-ratelimit',
  'hono-rate-limiter',
  '@upstash/ratelimit',
];
const HEADER_PACKAGES = ['helmet', '@fastify/helmet', 'koa-helmet', 'hono/secure-headers'];
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];

/** Routes that take a body but show no validation where they are declared. */
function unvalidatedRoutes(project: Project): Evidence[] {
  const found: Evidence[] = appSources(project).flatMap((file) => file.facts.routes);
  if (project.framework === 'nestjs') {
    const files = appSources(project);
    const pipe = firstMatch(files, /\bValidationPipe\b/) !== undefined;
    for (const file of pipe ? [] : files) {
      for (const { index, written } of file.facts.bodies) {
        found.push(at(file, index, `${written} is not validated: no ValidationPipe is registered`));
      }
    }
    if (pipe) {
      for (const body of matchAll(files, /@Body\s*\(\s*\)\s*[\w$]+\s*:\s*[\w$<>[\], ]+/, 'code')) {
        if (/:\s*(?:any|object|unknown|Record\b)/.test(body.text)) {
          found.push(
            at(body.file, body.index, `${body.text.replace(/\s+/g, ' ')}: a type ValidationPipe cannot check`),
          );
        }
      }
    }
  }
  return found;
}

/** Nest `@Body(…)` parameter decorators, as written. */
export function bodyDecorators(file: ParsedSource): { index: number; written: string }[] {
  return nodesOf(file.tree, 'Decorator').flatMap((decorator) => {
    if (decorator.expression.type !== 'CallExpression' || calleeName(decorator.expression) !== 'Body') return [];
    const written = file.text.slice(decorator.start ?? 0, decorator.end ?? 0).replace(/\s+/g, ' ');
    return [{ index: decorator.start ?? 0, written }];
  });
}

const isFalse = (node: Node) =>
  (node.type === 'BooleanLiteral' && !node.value) ||
  (node.type === 'NumericLiteral' && node.value === 0) ||
  (node.type === 'UnaryExpression' &&
    node.operator === '!' &&
    node.argument.type === 'NumericLiteral' &&
    node.argument.value !== 0);

/** Where a file says something, and what. */
export interface TextMatch {
  index: number;
  text: string;
}

/** `rejectUnauthorized: false` in options, or set on an object afterwards. */
export function tlsVerificationOff(file: ParsedSource): TextMatch[] {
  const found: TextMatch[] = [];
  for (const node of nodesOf(file.tree, 'ObjectProperty')) {
    if (!node.computed && keyName(node.key) === 'rejectUnauthorized' && isFalse(node.value)) {
      found.push({ index: node.start ?? 0, text: 'rejectUnauthorized: false' });
    }
  }
  for (const node of nodesOf(file.tree, 'AssignmentExpression')) {
    if (propertyName(node.left) === 'rejectUnauthorized' && isFalse(node.right)) {
      found.push({ index: node.start ?? 0, text: 'rejectUnauthorized = false' });
    }
  }
  return found;
}

/** `cors()` and `@koa/cors` called with no origin. */
export function corsCalls(file: ParsedSource): Evidence[] {
  const found: Evidence[] = [];
  for (const packageName of ['cors', '@koa/cors']) {
    for (const { call, options } of callsOf(file, packageName)) {
      if (!lacksOption(options, 'origin')) continue;
      const called = dottedName(call.callee) ?? packageName;
      found.push(
        at(
          file,
          call.start ?? 0,
          options === undefined
            ? `${called}() with no options allows every origin`
            : `${called}({…}) with no origin allows every origin`,
        ),
      );
    }
  }
  return found;
}

/** `@fastify/cors` registered with no origin. */
export function fastifyCors(file: ParsedSource): Evidence[] {
  return registrations(file, '@fastify/cors')
    .filter(({ options }) => lacksOption(options, 'origin'))
    .map(({ call }) => at(file, call.start ?? 0, '@fastify/cors with no origin allows every origin'));
}

/** Calls that let any origin read responses. */
function openCors(project: Project): Evidence[] {
  const found: Evidence[] = [];
  for (const file of appSources(project)) {
    found.push(...file.facts.corsCalls);
    if (file.code.includes('hono/cors')) {
      for (const match of file.bare.matchAll(/\bcors\s*\(\s*\)/g)) {
        found.push(at(file, match.index, `${match[0]} with no options allows every origin`));
      }
    }
    found.push(...file.facts.fastifyCors);
    for (const match of file.code.matchAll(/\borigin\s*:\s*(?:(['"`])\*\1|true\b)/g)) {
      found.push(at(file, match.index, `${match[0]} lets any origin read responses`));
    }
    for (const match of file.bare.matchAll(/\.enableCors\s*\(\s*\)|\bcors\s*:\s*true\b/g)) {
      found.push(at(file, match.index, `${match[0]} allows every origin`));
    }
    for (const match of file.code.matchAll(/access-control-allow-origin['"]\s*,\s*['"]\*['"]/gi)) {
      found.push(at(file, match.index, 'Access-Control-Allow-Origin: * set by hand'));
    }
  }
  return found;
}

const EXAMPLE_ENV = /\.env\.(?:example|sample|template|dist|defaults|test)$/;

/** A .gitignore line as a test of a file name (the forms seen for .env files). */
function ignores(gitignore: string, file: string): boolean {
  const name = file.split('/').pop() ?? file;
  return gitignore.split('\n').some((raw) => {
    const line = raw.trim().replace(/^\//, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return false;
    const pattern = new RegExp(
      `^${line
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return pattern.test(file) || pattern.test(name);
  });
}

function committedEnvFiles(project: Project): Evidence[] {
  const gitignore = project.texts.find((file) => file.path === '.gitignore')?.text ?? '';
  return project.files
    .filter((file) => /(?:^|\/)\.env(?:\.[\w.-]+)?$/.test(file) && !EXAMPLE_ENV.test(file))
    .flatMap((file): Evidence[] => {
      if (project.tracked !== undefined) {
        return project.tracked.has(file) ? [{ file, detail: 'is tracked by git' }] : [];
      }
      return ignores(gitignore, file)
        ? []
        : [{ file, detail: 'is not in .gitignore: the next `git add .` commits it' }];
    });
}

const TOKEN_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/, 'a private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}\b/, 'a Stripe live key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
];
const SECRET_NAME = /(?:secret|passw(?:or)?d|pwd|api_?key|access_?key|auth_?token|private_?key|client_?secret)/i;
const ASSIGNED_LITERAL =
  /\b([\w$]*(?:secret|passw(?:or)?d|pwd|api_?key|apikey|access_?key|auth_?token|private_?key)[\w$]*)['"]?\s*[:=]\s*(['"`])([^'"`\n]{8,})\2/gi;
const PLACEHOLDER =
  /^(?:change|your|example|xxx|todo|replace|dummy|placeholder|<|\*)|\$\{|^[a-z]+(?:_[a-z]+)+$|^[A-Z][A-Z0-9_]*$/i;
const REFERENCE_KEY = /(?:name|ref|file|path|env|id|keyref)$/i;
// Key and value on one line: `secretGenerator:` with its list on the next lines is no literal.
const YAML_SECRET =
  /^[ \t]*-?[ \t]*([\w-]*(?:secret|password|passwd|api_?key|private_?key)[\w-]*)[ \t]*[:=][ \t]*([^\s'"#{$][^\n#]{7,})$/gim;

/** Literal credentials in shipped code and config; each shown by name, never by value. */
function committedSecrets(project: Project): Evidence[] {
  const found: Evidence[] = [];
  const scan = (file: TextFile, text: string, lineOf: (index: number) => number) => {
    for (const [pattern, what] of TOKEN_PATTERNS) {
      const match = pattern.exec(text);
      if (match) found.push({ file: file.path, line: lineOf(match.index), detail: `holds ${what}` });
    }
    for (const match of text.matchAll(ASSIGNED_LITERAL)) {
      const value = match[3] as string;
      if (!PLACEHOLDER.test(value) && SECRET_NAME.test(match[1] as string)) {
        found.push({
          file: file.path,
          line: lineOf(match.index),
          detail: `${match[1]} is a literal of ${value.length} characters`,
        });
      }
    }
  };
  for (const file of shippedSources(project)) {
    for (const [pattern, what] of TOKEN_PATTERNS) {
      const match = pattern.exec(file.code);
      if (match) found.push({ file: file.path, line: file.lineOf(match.index), detail: `holds ${what}` });
    }
    found.push(...file.facts.secrets);
  }
  for (const file of project.texts) {
    if (!/\.ya?ml$|(?:^|\/)Dockerfile[^/]*$/.test(file.path)) continue;
    const lineOf = lineCounter(file.text);
    scan(file, file.text, lineOf);
    for (const match of file.text.matchAll(YAML_SECRET)) {
      // `secretName: app-secrets`, `passwordFile: /run/secrets/db`: a reference, not the secret.
      if (REFERENCE_KEY.test(match[1] as string) || PLACEHOLDER.test((match[2] as string).trim())) continue;
      found.push({
        file: file.path,
        line: lineOf(match.index),
        detail: `${match[1]} is a literal of ${(match[2] as string).trim().length} characters`,
      });
    }
  }
  return found;
}

/** Dockerfiles whose final stage runs as root. */
function rootContainers(project: Project): Evidence[] {
  return project.texts
    .filter((file) => /(?:^|\/)(?:Dockerfile[^/]*|[^/]*\.Dockerfile)$/.test(file.path))
    .flatMap((file): Evidence[] => {
      const lines = file.text.split('\n');
      let from = -1;
      lines.forEach((line, index) => {
        if (/^\s*FROM\s/i.test(line)) from = index;
      });
      if (from === -1) return [];
      const image = (lines[from] as string).trim().split(/\s+/)[1] ?? '';
      if (/nonroot|distroless.*:nonroot|chainguard/.test(image)) return [];
      const user = lines
        .slice(from + 1)
        .filter((line) => /^\s*USER\s/i.test(line))
        .at(-1);
      const name = user?.trim().split(/\s+/)[1];
      if (name !== undefined && name !== 'root' && name !== '0' && !name.startsWith('0:')) return [];
      return [
        {
          file: file.path,
          line: from + 1,
          detail:
            user === undefined
              ? `the final stage (${image}) has no USER: it runs as root`
              : 'USER root in the final stage',
        },
      ];
    });
}

export const securityChecks: StaticCheck[] = [
  {
    id: 'rate-limit',
    mistake: 5,
    claimsAbsence: true,
    run(project) {
      if (firstImport(project, RATE_LIMIT_PACKAGES)) return undefined;
      const installed = RATE_LIMIT_PACKAGES.find((name) => name in project.dependencies);
      return {
        severity: 'high',
        title: 'No rate limiter is registered',
        evidence: [
          installed
            ? { file: 'package.json', detail: `${installed} is a dependency, but no source file imports it` }
            : missing(`none of ${RATE_LIMIT_PACKAGES.join(', ')}`),
        ],
        fix: forFramework(project, {
          fastify:
            'Register @fastify/rate-limit (answers 429 with Retry-After), with a tighter limit on login and registration.',
          express: 'Use express-rate-limit before the routes, with a tighter limit on login and registration.',
          nestjs: 'Import ThrottlerModule and bind ThrottlerGuard as APP_GUARD.',
          koa: 'Use koa-ratelimit before the routes.',
          hono: 'Use hono-rate-limiter before the routes.',
          other: 'Limit requests per client (429 with Retry-After), tighter on login and registration.',
        }),
      };
    },
  },
  {
    id: 'input-validation',
    mistake: 5,
    run(project) {
      const found = unvalidatedRoutes(project);
      if (found.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'Routes take input without a schema',
        evidence: found,
        fix: forFramework(project, {
          fastify:
            'Give each route a schema (body, params, querystring) with additionalProperties: false; Fastify then rejects bad input with a 400 before the handler runs.',
          nestjs:
            'app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })) and a class-validator DTO for every @Body().',
          other:
            'Validate body, params and query of every route with a schema (zod, ajv, joi) that rejects unknown properties, before the handler runs.',
        }),
      };
    },
  },
  {
    id: 'security-headers',
    mistake: 5,
    claimsAbsence: true,
    run(project) {
      if (firstImport(project, HEADER_PACKAGES)) return undefined;
      if (firstMatch(appSources(project), /x-content-type-options/i, 'code')) return undefined;
      return {
        severity: 'medium',
        title: 'No security headers',
        evidence: [missing(`none of ${HEADER_PACKAGES.join(', ')}, and no X-Content-Type-Options set`)],
        fix: forFramework(project, {
          fastify: 'Register @fastify/helmet (or set the headers helmet computes in an onRequest hook).',
          koa: 'Use koa-helmet.',
          hono: "Use secureHeaders() from 'hono/secure-headers'.",
          other: "Use helmet(); it also removes Express's X-Powered-By.",
        }),
      };
    },
  },
  {
    id: 'cors',
    mistake: 5,
    run(project) {
      const found = openCors(project);
      if (found.length === 0) return undefined;
      return {
        severity: 'high',
        title: 'CORS is open to any origin',
        evidence: found,
        fix: 'Pass an explicit allowlist of origins from configuration (e.g. CORS_ORIGINS), empty by default.',
      };
    },
  },
  {
    id: 'committed-env',
    mistake: 5,
    run(project) {
      const found = committedEnvFiles(project);
      if (found.length === 0) return undefined;
      return {
        severity: 'high',
        title: 'Environment files with secrets are committed',
        evidence: found,
        fix: 'git rm --cached the file, add it to .gitignore, rotate every secret it held, and commit a .env.example without values instead.',
      };
    },
  },
  {
    id: 'secret-in-source',
    mistake: 5,
    run(project) {
      const found = committedSecrets(project);
      if (found.length === 0) return undefined;
      return {
        severity: 'high',
        title: 'Secrets written into the source',
        evidence: found,
        fix: 'Read secrets from the environment (validated at start) and rotate the ones that were committed.',
      };
    },
  },
  {
    id: 'tls-verify',
    mistake: 5,
    run(project) {
      const files = shippedSources(project);
      const found: Match[] = [
        ...files.flatMap((file) => file.facts.tlsOff.map((match) => ({ file, ...match }))),
        ...matchAll(files, /\bNODE_TLS_REJECT_UNAUTHORIZED\b['"`]?\]?\s*=\s*['"`]?0\b/, 'code'),
      ];
      if (found.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'TLS certificates are not verified: anyone on the path can read and change the traffic',
        evidence: evidenceOf(found, (match) =>
          match.text.startsWith('NODE_TLS')
            ? 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off for the whole process'
            : 'rejectUnauthorized: false accepts any certificate',
        ),
        fix: "Keep verification on; for a private CA pass its certificate as `ca` (for a managed database, the provider's CA bundle).",
      };
    },
  },
  {
    id: 'docker-root',
    mistake: 5,
    run(project) {
      const found = rootContainers(project);
      if (found.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'The container runs as root',
        evidence: found,
        fix: 'End the final stage with USER node (the official Node images have it) after chown-ing only what it must write.',
      };
    },
  },
  {
    id: 'lockfile',
    mistake: 5,
    run(project) {
      if (LOCKFILES.some((name) => project.files.includes(name))) return undefined;
      return {
        severity: 'medium',
        title: 'No lockfile: every install may resolve different dependency versions',
        evidence: [missing(`none of ${LOCKFILES.join(', ')}`)],
        fix: 'Commit the lockfile your package manager writes and install with npm ci (or its frozen equivalent) in CI and images.',
      };
    },
  },
];
