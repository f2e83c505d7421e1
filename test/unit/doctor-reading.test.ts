import { describe, expect, it } from 'vitest';
import { readProject } from '../../src/doctor/project.js';
import { parseSource } from '../../src/doctor/syntax.js';
import { findingsOf, linesOf, projectOf } from './doctor-audit.js';

const server =
  "import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nawait app.listen({ port: 3000 });\n";

describe('parseSource', () => {
  it('reads TypeScript with decorators and trailing commas, and JSX in a .js file', () => {
    const nest = '@Catch()\nexport class F {\n  catch(error: Error, host: ArgumentsHost,) {}\n}\n';
    expect(parseSource('a.ts', nest)?.program.body).toHaveLength(1);
    expect(parseSource('a.js', 'export const A = () => <div>{1}</div>;\n')?.program.body).toHaveLength(1);
    expect(parseSource('a.ts', 'const x = <T,>(y: T) => y;\nconst z = <any>x;\n')?.program.body).toHaveLength(2);
    expect(parseSource('bin/www', '#!/usr/bin/env node\nrequire("../app");\n')?.program.body).toHaveLength(1);
  });

  it('gives no tree for text that is not JavaScript', () => {
    expect(parseSource('a.js', '}}}} ))) <<<')).toBeUndefined();
  });
});

describe('files doctor does not read', () => {
  it('lists files past --max-files and over --max-file-size, and makes "missing" findings info', () => {
    const findings = findingsOf(
      {
        'package.json': '{"name":"x","dependencies":{"fastify":"^5.0.0","@fastify/rate-limit":"^10.0.0"}}',
        'package-lock.json': '{}',
        'server.ts': server,
        'src/big.ts': `import rateLimit from '@fastify/rate-limit';\n${'// padding\n'.repeat(300)}`,
        'src/c.ts': 'export const c = 1;\n',
        'src/lib/d.ts': 'export const d = 1;\n',
      },
      { maxFiles: 5, maxFileBytes: 2048 },
    );
    // Shallowest first: package.json and the server are read, the deepest file is the one dropped.
    expect(linesOf(findings, ['unread-files'])).toEqual([
      'unread-files info: src/lib/d.ts past --max-files',
      'unread-files info: src/big.ts larger than --max-file-size',
    ]);
    const rateLimit = findings.find((finding) => finding.id === 'rate-limit');
    expect(rateLimit).toMatchObject({
      severity: 'info',
      title: 'No rate limiter is registered (not found in the files read)',
    });
  });

  it('reads a file of 627 KiB by default, and calls nothing in it missing', () => {
    const big = `import helmet from '@fastify/helmet';\nimport rateLimit from '@fastify/rate-limit';\n${"export const filler = 'a line of text as long as a line of real code often is';\n".repeat(8_500)}`;
    expect(big.length).toBeGreaterThan(627 * 1024);
    const findings = findingsOf({
      'package.json': '{"name":"x","dependencies":{"fastify":"^5.0.0"}}',
      'server.ts': server,
      'big.ts': big,
    });
    expect(findings.map((finding) => finding.id)).not.toContain('unread-files');
    expect(findings.map((finding) => finding.id)).not.toContain('rate-limit');
    expect(findings.map((finding) => finding.id)).not.toContain('security-headers');
  }, 20_000);

  it('lists a file that does not parse, and still reports what the others show', () => {
    const findings = findingsOf({
      'package.json': '{"name":"x","dependencies":{"fastify":"^5.0.0"}}',
      'server.ts': server,
      'broken.js': '}}}} ))) <<<',
    });
    expect(linesOf(findings, ['unread-files'])).toEqual([
      'unread-files info: broken.js not JavaScript or TypeScript that @babel/parser reads',
    ]);
  });
});

describe('runtime', () => {
  const runtimeOf = (files: Record<string, string>) => readProject(projectOf(files)).runtime;
  const manifest = (scripts: Record<string, string> = {}) => JSON.stringify({ name: 'x', scripts });

  it('tells Workers, Deno and Bun from Node', () => {
    expect(runtimeOf({ 'package.json': manifest(), 'wrangler.toml': 'name = "x"\n' })).toBe('workers');
    expect(runtimeOf({ 'package.json': manifest(), 'deno.json': '{}' })).toBe('deno');
    expect(runtimeOf({ 'package.json': manifest(), 'main.ts': 'Deno.serve((req) => new Response("ok"));\n' })).toBe(
      'deno',
    );
    expect(
      runtimeOf({ 'package.json': manifest(), 'index.ts': 'Bun.serve({ fetch: () => new Response("ok") });\n' }),
    ).toBe('bun');
    expect(runtimeOf({ 'package.json': manifest({ start: 'bun run src/index.ts' }) })).toBe('bun');
    // Bun as the package manager of a Node server.
    expect(runtimeOf({ 'package.json': manifest({ start: 'node dist/server.js' }), 'bun.lock': '' })).toBe('node');
    // A comment is not a call.
    expect(runtimeOf({ 'package.json': manifest(), 'a.ts': '// Bun.serve() later\nexport {};\n' })).toBe('node');
  });

  it('skips load shedding on Deno and Bun with an info finding that says why', () => {
    const findings = findingsOf({
      'package.json': manifest(),
      'index.ts': 'Bun.serve({ fetch: () => new Response("ok") });\n',
    });
    expect(findings.map((finding) => finding.id)).not.toContain('load-shedding');
    expect(linesOf(findings, ['runtime'])).toEqual([
      "runtime info: load-shedding: the load-shedding packages doctor knows watch Node's event loop through perf_hooks, which Bun does not fully provide",
    ]);
  });
});
