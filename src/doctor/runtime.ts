import type { ParsedSource, Runtime, SourceFile } from './project.js';
import { dottedName, nodesOf } from './syntax.js';

const START_SCRIPTS = ['start', 'dev', 'serve'];

/** `Deno.serve(…)` or `Bun.serve(…)` called in this file: the runtime that answers the requests. */
export function servedBy(file: ParsedSource): 'deno' | 'bun' | undefined {
  for (const call of nodesOf(file.tree, 'CallExpression')) {
    const callee = dottedName(call.callee);
    if (callee === 'Deno.serve') return 'deno';
    if (callee === 'Bun.serve') return 'bun';
  }
  return undefined;
}

/**
 * Where the code runs. A wrangler config means Cloudflare Workers; a deno.json or Deno.serve means
 * Deno; Bun.serve, or a start script run by `bun`, means Bun. Anything else is a Node server.
 * A bun.lock alone is not enough: Bun also installs packages for projects that Node runs.
 */
export function detectRuntime(files: string[], sources: SourceFile[], packageJson: Record<string, unknown>): Runtime {
  if (files.some((file) => /^wrangler\.(?:toml|jsonc?)$/.test(file))) return 'workers';
  if (files.some((file) => /^deno\.jsonc?$/.test(file))) return 'deno';
  const served = sources.find((file) => file.role === 'app' && file.facts.servedBy !== undefined)?.facts.servedBy;
  if (served !== undefined) return served;
  const scripts = packageJson.scripts;
  if (scripts !== null && typeof scripts === 'object') {
    const start = START_SCRIPTS.map((name) => (scripts as Record<string, unknown>)[name]);
    if (start.some((script) => typeof script === 'string' && /^bun\s+(?:run\s+)?(?!install\b)/.test(script))) {
      return 'bun';
    }
  }
  return 'node';
}
