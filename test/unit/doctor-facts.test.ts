import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStaticChecks } from '../../src/doctor/checks/index.js';
import { treeFacts } from '../../src/doctor/facts.js';
import { defaultLimits, type Project, readProject, type SourceText } from '../../src/doctor/project.js';
import { lineCounter, scanSource } from '../../src/doctor/source.js';
import { withDefaults } from '../../src/options.js';
import { planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { scratchDir, writeRendered } from '../helpers.js';
import { linesOf, projectOf } from './doctor-audit.js';

/**
 * doctor parses only the files whose text could hold what a tree check looks for (facts.ts).
 * These tests run every tree check on every file as well, and ask for the same result.
 */

const fixtures = path.join(import.meta.dirname, '../fixtures');
const fixtureProjects = [
  ...readdirSync(path.join(fixtures, 'doctor')).map((name) => path.join(fixtures, 'doctor', name)),
  ...['express-generator-app', 'fastify-app', 'nest-app'].map((name) => path.join(fixtures, name)),
];

function bothWays(dir: string): { filtered: Project; parsed: Project } {
  return {
    filtered: readProject(dir),
    parsed: readProject(dir, defaultLimits, { parseAll: true }),
  };
}

const factsByFile = (project: Project) => project.sources.map((file) => [file.path, file.facts]);

function sourceText(file: string, text: string): SourceText {
  return { path: file, text, role: 'app', lineOf: lineCounter(text), ...scanSource(text) };
}

/** The facts of one app file, found with and without the prefilters. */
function factsOf(file: string, text: string) {
  const source = sourceText(file, text);
  return {
    filtered: treeFacts(source, { texts: [] }),
    parsed: treeFacts(source, { texts: [], parseAll: true }),
  };
}

describe('the prefilters of the tree checks', () => {
  it.each(fixtureProjects)('find what parsing every file finds in %s', (dir) => {
    const { filtered, parsed } = bothWays(dir);
    expect(factsByFile(filtered)).toEqual(factsByFile(parsed));
    expect(filtered.unread).toEqual(parsed.unread);
    expect(linesOf(runStaticChecks(filtered))).toEqual(linesOf(runStaticChecks(parsed)));
  });

  it('find what parsing every file finds in a generated project with resources', async () => {
    const dir = scratchDir('csb-doctor-facts-');
    const stack = withDefaults({ db: 'postgres', auth: ['jwt', 'apikey'], cache: 'redis' });
    writeRendered(dir, await renderProject(planProject({ name: 'api', stack, pm: 'npm' }, '0.1.0')));
    const { filtered, parsed } = bothWays(dir);
    expect(filtered.sources.length).toBeGreaterThan(20);
    expect(factsByFile(filtered)).toEqual(factsByFile(parsed));
    expect(linesOf(runStaticChecks(filtered))).toEqual(linesOf(runStaticChecks(parsed)));
  });

  // Each shape below is one a tree check finds and a careless text test would miss: the facts
  // must be found (not empty) and equal whether the file was let through or parsed anyway.
  const shapes: [string, string, string, (facts: ReturnType<typeof treeFacts>) => unknown][] = [
    [
      'an error middleware whose first parameter is typed with a comma inside',
      'a.ts',
      'export const h = (failure: Map<string, Error>, req: Req, res: Res, next: Next) => res.status(500).json(failure);\n',
      (facts) => facts?.errorHandlers,
    ],
    [
      'an error middleware whose type is behind a comment',
      'a.ts',
      'export const h = (x: /* Error */ Failure, req: Req, res: Res, next: Next) => res.status(500).json(x);\n',
      (facts) => facts?.errorHandlers,
    ],
    [
      'a decorated first parameter',
      'a.ts',
      'class M {\n  use(@Inject() err: Failure, req: Req, res: Res, next: Next) {}\n}\n',
      (facts) => facts?.errorHandlers,
    ],
    [
      'a parameter property named like an error',
      'a.ts',
      'class M {\n  constructor(private readonly err: Failure, a: A, b: B, c: C) {}\n}\n',
      (facts) => facts?.errorHandlers,
    ],
    [
      'a quoted method named error with a first parameter that is not',
      'a.js',
      "class M {\n  'error'(x, req, res, next) {\n    res.status(500).send(x.message);\n  }\n}\n",
      (facts) => facts?.errorHandlers,
    ],
    [
      'a method named error with type parameters',
      'a.ts',
      'class M {\n  error<T>(x: T, req: Req, res: Res, next: Next) {}\n}\n',
      (facts) => facts?.errorHandlers,
    ],
    [
      "a Koa middleware that catches what next() throws, and Hono's onError in a computed member",
      'a.js',
      "app.use(async (ctx, next) => {\n  try { await next(); } catch (e) { ctx.body = { m: e.message }; }\n});\napp['onError']((e, c) => c.json({ s: e.stack }, 500));\n",
      (facts) => facts?.leaks.length,
    ],
    [
      'a query called through a computed member, with type arguments, or parenthesised',
      'a.ts',
      [
        "db['query'](`SELECT * FROM a WHERE id = $",
        '{req.params.id}`);\n',
        "db.query<Row>('SELECT * FROM b WHERE n = ' + n);\n(db.execute)('DELETE FROM c WHERE id = ' + id);\n",
      ].join(''),
      (facts) => facts?.sql.length === 3,
    ],
    [
      'a secret under a quoted key, and one that falls back through a computed env name',
      'a.js',
      "export const c = { 'db-password': 'pa55-w0rd-x9' };\nexport const k = process.env['STRIPE_API_KEY'] ?? 'sk_dev_1234567';\n",
      (facts) => facts?.secrets.length === 2,
    ],
    [
      'cors loaded by require, and a session plugin named by a template string',
      'a.js',
      "const c = require('cors');\nconst session = require(`express-session`);\napp.use(c());\napp.use(session({ secret: s }));\n",
      (facts) => (facts?.corsCalls.length ?? 0) + (facts?.sessions.length ?? 0) === 2,
    ],
    [
      'rejectUnauthorized under a quoted key',
      'a.js',
      "export const tls = { 'rejectUnauthorized': false };\n",
      (facts) => facts?.tlsOff.length,
    ],
  ];

  it.each(shapes)('let through %s', (_, file, text, found) => {
    const { filtered, parsed } = factsOf(file, text);
    expect(found(parsed)).toBeTruthy();
    expect(filtered).toEqual(parsed);
  });

  // Fastify routes are read with the framework known: a schema key at the top of the options
  // object (or a spread) is the one thing the route prefilter trusts without parsing.
  const fastifyRoutes: [string, string, number][] = [
    [
      'a schema nested in config, not the route’s',
      "app.post('/a', { config: { schema: s } }, async (r) => r.body);\n",
      1,
    ],
    ['"schema:" in a string', "app.put('/b', { description: 'schema: none' }, async (r) => r.body);\n", 1],
    ['a quoted key that is not schema', "app.patch('/c', { 'preHandler': [auth] }, h);\n", 1],
    ['route() with a method and no schema', "app.route({ method: 'POST', url: '/d', handler: h });\n", 1],
    ['a computed member and type arguments', "app['post']<{ Body: B }>('/e', { config: {} }, h);\n", 1],
    [
      'a schema key, a quoted one, and a spread',
      "app.post('/f', { schema }, h);\napp.put('/g', { 'schema': s }, h);\napp.patch('/h', { ...writer }, h);\n",
      0,
    ],
  ];

  it.each(fastifyRoutes)('read Fastify routes on the tree: %s', (_, text, reported) => {
    const source = sourceText('routes.ts', text);
    const filtered = treeFacts(source, { texts: [], framework: 'fastify' });
    const parsed = treeFacts(source, { texts: [], framework: 'fastify', parseAll: true });
    expect(parsed?.routes).toHaveLength(reported);
    expect(filtered).toEqual(parsed);
  });

  it('parse a file none of them needs only when its brackets do not balance', () => {
    // Not JavaScript, but nothing a tree check looks for and balanced: read as text, not parsed.
    expect(factsOf('notes.js', 'Take a look at (this) first; then [that].\n').filtered).toBeDefined();
    expect(sourceText('a.js', 'f(a, [b], { c });').balanced).toBe(true);
    for (const text of ['}}}} ))) <<<', 'f(a', 'a]', '`${a`']) expect(sourceText('a.js', text).balanced).toBe(false);
    // Unbalanced: parsed, and listed as unread when it does not parse.
    const dir = projectOf({ 'package.json': '{"name":"x"}', 'broken.js': 'let x = [1, 2;\n}}\n' });
    expect(readProject(dir).unread).toEqual([{ path: 'broken.js', why: 'syntax' }]);
  });
});
