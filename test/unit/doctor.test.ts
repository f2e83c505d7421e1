import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseDoctorArgs } from '../../src/args.js';
import { auditFinding } from '../../src/doctor/audit.js';
import { prismaSchema, sqlSchema, unindexedForeignKeys } from '../../src/doctor/checks/database.js';
import { runStaticChecks } from '../../src/doctor/checks/index.js';
import { describeEvidence, type Finding } from '../../src/doctor/findings.js';
import { wantsColours } from '../../src/doctor/index.js';
import { readProject } from '../../src/doctor/project.js';
import { formatReport } from '../../src/doctor/report.js';
import { score } from '../../src/doctor/score.js';
import { scanSource } from '../../src/doctor/source.js';
import { UsageError } from '../../src/errors.js';

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('scanSource', () => {
  it('blanks comments but keeps every index and line where it was', () => {
    const text = "const a = 1; // console.log('x')\n/* SIGTERM */ const b = '// not a comment';\n";
    const { code, bare, literals } = scanSource(text);
    expect(code).toHaveLength(text.length);
    expect(code).not.toContain('console.log');
    expect(code).not.toContain('SIGTERM');
    expect(code).toContain("'// not a comment'");
    expect(bare).toContain("'                '");
    expect(literals.map((literal) => literal.value)).toEqual(['// not a comment']);
  });

  it('reads templates with nested expressions and tells tagged from plain', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
    const text = 'const q = sql`select ${a}`; const r = `x ${f(`inner ${b}`)} y`; if (a) { b(); }';
    const { bare, literals } = scanSource(text);
    const templates = literals.filter((literal) => literal.kind === 'template');
    expect(templates.map((literal) => [literal.value, literal.tagged, literal.interpolated])).toEqual([
      ['select …', true, true],
      ['x … y', false, true],
      ['inner …', false, true],
    ]);
    // The braces of the if block still pair up after the templates.
    expect(bare.endsWith('if (a) { b(); }')).toBe(true);
  });

  it('tells a regex literal from a division', () => {
    const { literals } = scanSource("const r = /'[a-z]'/g; const half = total / 2; const s = 'x';");
    expect(literals.map((literal) => [literal.kind, literal.value])).toEqual([
      ['regex', "'[a-z]'"],
      ['quote', 'x'],
    ]);
  });
});

describe('foreign keys without an index', () => {
  it('reads inline and table-level keys, indexes, primary and unique keys, and ALTER TABLE', () => {
    const sql = `
CREATE TABLE "public"."orders" (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers(id), -- indexed below
  coupon_id bigint REFERENCES coupons(id)
);
CREATE TABLE order_items (
  order_id bigint NOT NULL,
  product_id bigint NOT NULL,
  PRIMARY KEY (order_id, product_id),
  FOREIGN KEY (order_id) REFERENCES orders(id),
  FOREIGN KEY (product_id) REFERENCES products(id)
);
ALTER TABLE orders ADD CONSTRAINT orders_seller_fk FOREIGN KEY (seller_id) REFERENCES sellers(id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders USING btree (customer_id, created_at);
`;
    const unindexed = unindexedForeignKeys(sqlSchema([{ path: 'm.sql', text: sql }]));
    expect(unindexed.map((key) => `${key.table}(${key.columns.join(',')}) line ${key.line}`)).toEqual([
      'orders(coupon_id) line 5',
      'order_items(product_id) line 12',
      'orders(seller_id) line 14',
    ]);
  });

  it('reads Prisma relations, @@index and @id', () => {
    const prisma = `
model Post {
  id       Int  @id @default(autoincrement())
  author   User @relation(fields: [authorId], references: [id])
  authorId Int
  editor   User @relation("edits", fields: [editorId], references: [id])
  editorId Int
  @@index([authorId, id(sort: Desc)])
}
`;
    const unindexed = unindexedForeignKeys(prismaSchema([{ path: 'schema.prisma', text: prisma }]));
    expect(unindexed.map((key) => `${key.table}(${key.columns.join(',')}) line ${key.line}`)).toEqual([
      'post(editorid) line 6',
    ]);
  });
});

describe('npm audit answers', () => {
  it('turns counts into one finding whose severity is the worst advisory', () => {
    const answer = JSON.stringify({ metadata: { vulnerabilities: { low: 1, moderate: 2, high: 1, critical: 0 } } });
    expect(auditFinding(answer)).toMatchObject({
      id: 'advisories',
      mistake: 5,
      severity: 'high',
      evidence: [{ detail: 'npm audit --omit=dev: 1 high, 2 moderate, 1 low' }],
    });
    const moderate = JSON.stringify({ metadata: { vulnerabilities: { moderate: 1 } } });
    expect(auditFinding(moderate)?.severity).toBe('medium');
  });

  it('reports nothing when there is no advisory', () => {
    const clean = JSON.stringify({ metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0 } } });
    expect(auditFinding(clean)).toBeUndefined();
  });

  it('says "could not check", at no cost, when the registry does not answer', () => {
    const failed = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security',
    });
    expect(auditFinding(failed)).toMatchObject({ severity: 'info', title: 'Known advisories: could not check' });
    expect(auditFinding('')).toMatchObject({ severity: 'info' });
  });
});

const finding = (mistake: Finding['mistake'], severity: Finding['severity']): Finding => ({
  id: `x-${mistake}-${severity}`,
  mistake,
  severity,
  title: 'a finding',
  evidence: [{ file: 'src/app.ts', line: 3, detail: 'here' }],
  fix: 'do this',
  source: 'static',
});

describe('scores', () => {
  it('takes 40, 20 and 10 points for high, medium and low, none for info, and never goes below 0', () => {
    const scores = score([
      finding(1, 'high'),
      finding(1, 'low'),
      finding(2, 'info'),
      finding(3, 'high'),
      finding(3, 'high'),
      finding(3, 'medium'),
    ]);
    expect(scores.mistakes.map((entry) => entry.score)).toEqual([50, 100, 0, 100, 100, 100]);
    expect(scores.overall).toBe(75);
  });

  it('is 100 only with no finding that costs points', () => {
    expect(score([]).overall).toBe(100);
    expect(score([finding(6, 'low')]).overall).toBe(98);
  });
});

describe('the report', () => {
  const context = {
    dir: '/srv/api',
    framework: 'express' as const,
    runtime: 'node' as const,
    generatorVersion: undefined,
    url: undefined,
    live: undefined,
    checks: 29,
    minScore: 95,
  };

  it('groups findings by mistake with evidence and fix, and says when the score is under --min-score', () => {
    const text = formatReport(score([finding(5, 'high')]), context, false);
    expect(text).toContain('5. Unsecured APIs                    60/100');
    expect(text).toContain('HIGH      x-5-high: a finding');
    expect(text).toContain('src/app.ts:3 here');
    expect(text).toContain('Fix: do this');
    expect(text).toMatch(/Score 93\/100 \(below --min-score 95\)\n$/);
    expect(text).not.toContain('\u001b[');
  });

  it('names the framework and the generator', () => {
    const text = formatReport(score([]), { ...context, framework: 'nestjs', generatorVersion: '0.1.0' }, false);
    expect(text.split('\n')[1]).toBe('NestJS project, made by create-sound-backend 0.1.0; 29 static checks');
  });

  it('colours only when asked', () => {
    expect(formatReport(score([]), context, true)).toContain('\u001b[32m100/100\u001b[39m');
  });

  it('wants colours on a terminal without NO_COLOR', () => {
    expect(wantsColours(true, {})).toBe(true);
    expect(wantsColours(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColours(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColours(false, {})).toBe(false);
  });
});

describe('doctor arguments', () => {
  it('dispatches on the first word and reads every doctor flag', () => {
    const args = parseCliArgs(['doctor', 'api', '--url', 'http://127.0.0.1:3000/v1', '--json', '--min-score', '80']);
    expect(args).toMatchObject({ command: 'doctor', dir: 'api', json: true, minScore: 80, audit: true });
    expect(args.command === 'doctor' && args.url?.href).toBe('http://127.0.0.1:3000/v1');
    expect(parseDoctorArgs(['--no-audit'])).toMatchObject({ dir: undefined, audit: false, minScore: undefined });
    expect(parseDoctorArgs(['--max-files', '20000', '--max-file-size', '4096'])).toMatchObject({
      maxFiles: 20_000,
      maxFileBytes: 4096 * 1024,
    });
    // Anything else is still a directory for create.
    expect(parseCliArgs(['constructor'])).toMatchObject({ command: 'create', positionals: ['constructor'] });
  });

  it('refuses a bad URL, a score out of range, two directories and create flags', () => {
    expect(usageError(() => parseDoctorArgs(['--url', 'localhost:3000'])).message).toMatch(/only http and https/);
    expect(usageError(() => parseDoctorArgs(['--url', 'not a url'])).message).toMatch(/Invalid --url/);
    expect(usageError(() => parseDoctorArgs(['--min-score', '101'])).message).toMatch(/0 to 100/);
    expect(usageError(() => parseDoctorArgs(['--min-score', '9.5'])).message).toMatch(/0 to 100/);
    expect(usageError(() => parseDoctorArgs(['--max-files', '0'])).message).toBe(
      'Invalid --max-files "0": expected a whole number of at least 1',
    );
    expect(usageError(() => parseDoctorArgs(['--max-file-size', '1.5'])).message).toMatch(/--max-file-size "1.5"/);
    expect(usageError(() => parseDoctorArgs(['a', 'b'])).message).toContain('one project directory');
    expect(usageError(() => parseDoctorArgs(['--db', 'sqlite'])).message).toMatch(/--db[\s\S]*doctor --help/);
  });
});

describe('static checks on small projects', () => {
  /** Writes the files into a fresh folder and returns the ids and evidence doctor reports there. */
  function audit(files: Record<string, string>): string[] {
    const dir = mkdtempSync(path.join(tmpdir(), 'csb-doctor-unit-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return runStaticChecks(readProject(dir)).flatMap((finding) =>
      finding.evidence.map((evidence) => `${finding.id}: ${describeEvidence(evidence)}`),
    );
  }
  const only = (id: string, found: string[]) => found.filter((line) => line.startsWith(`${id}:`));

  it('names committed credentials without printing them, and leaves references and placeholders alone', () => {
    const interpolated = ['$', '{JWT_SECRET:?set it}'].join('');
    const compose = `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-pa55word\n      JWT_SECRET: ${interpolated}\n`;
    const found = audit({
      'package.json': '{"name":"x","dependencies":{}}',
      'src/keys.ts': "export const awsKey = 'AKIAIOSFODNN7EXAMPLE';\nexport const apiKey = 'sk-prod-8c1f2a9e77b3';\n",
      'src/placeholders.ts':
        "export const password = 'change-me-please';\nexport const column = { passwordHash: 'password_hash' };\nexport const token = process.env.TOKEN;\n",
      'k8s/deployment.yaml':
        'env:\n  - name: JWT_SECRET\n    valueFrom:\n      secretKeyRef:\n        name: app\n        key: jwt\n      secretName: app-secrets\n',
      'docker-compose.yml': compose,
      // A key whose value is the block below it, as in a generated kustomization.yaml.
      'k8s/kustomization.yaml': 'secretGenerator:\n  - name: my-api-secrets\n    envs:\n      - secret.env\n',
      'test/login.test.ts': "const password = 'a long enough password';\n",
    });
    expect(only('secret-in-source', found)).toEqual([
      'secret-in-source: src/keys.ts:1 holds an AWS access key id',
      'secret-in-source: src/keys.ts:2 apiKey is a literal of 20 characters',
      'secret-in-source: docker-compose.yml:4 POSTGRES_PASSWORD is a literal of 15 characters',
    ]);
    expect(found.join('\n')).not.toContain('s3cr3t');
  });

  it('tells a masked error handler from one that leaks, and SQL parameters from SQL glued to values', () => {
    const found = audit({
      'package.json': '{"name":"x","dependencies":{"fastify":"^5.0.0","pg":"^8.0.0"}}',
      'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);',
      'src/app.ts': `import Fastify from 'fastify';
const app = Fastify({ logger: true });
app.setErrorHandler((error, request, reply) => {
  request.log.error({ err: error, stack: error.stack }, 'failed');
  const status = error.statusCode ?? 500;
  reply.code(status).send({ detail: status >= 500 ? 'Internal error' : error.message });
});
export const byId = (id: string) => pool.query('SELECT * FROM a WHERE id = $1', [id]);
export const byName = (name: string) => pool.query("SELECT * FROM a WHERE name = '" + name + "'");
export const labels = 'SELECT a ' + 'FROM b';
`,
    });
    expect(only('error-leak', found)).toEqual([]);
    expect(only('error-handler', found)).toEqual([]);
    // No request value flows in within the function: built SQL (medium), not a proven injection.
    expect(only('sql-injection', found)).toEqual([]);
    expect(only('sql-built', found)).toEqual(['sql-built: src/app.ts:9 SQL glued to a value with +']);
  });

  it('knows an Express app without its own error handler, and routes validated by middleware', () => {
    const found = audit({
      'package.json': '{"name":"x","dependencies":{"express":"^4.21.0","zod":"^3.0.0"}}',
      'src/app.js': `const express = require('express');
const app = express();
app.post('/a', validate(schema), (req, res) => res.json(req.body));
app.post('/b', (req, res) => res.json(Body.parse(req.body)));
app.post('/c', (req, res) => res.json(req.body));
app.post('/d', handlers.create);
module.exports = app;
`,
    });
    expect(only('error-handler', found)).toEqual([
      "error-handler: missing: no error middleware (err, req, res, next); Express's default sends the stack trace unless NODE_ENV=production",
    ]);
    expect(only('input-validation', found)).toEqual([
      'input-validation: src/app.js:5 POST /c takes a body with no schema',
    ]);
  });
});
