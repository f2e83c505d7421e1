import type { Runtime, SourceFile } from './project.js';
import { dottedName, walk } from './syntax.js';

const START_SCRIPTS = ['start', 'dev', 'serve'];

/** `Deno.serve(…)` or `Bun.serve(…)` called in app code: the runtime that answers the requests. */
function servedBy(sources: SourceFile[]): 'deno' | 'bun' | undefined {
  for (const file of sources) {
    if (file.role !== 'app' || !file.bare.includes('.serve') || !/\b(?:Deno|Bun)\.serve\b/.test(file.bare)) continue;
    let found: 'deno' | 'bun' | undefined;
    walk(file.tree.program, (node) => {
      if (found !== undefined || node.type !== 'CallExpression') return;
      const callee = dottedName(node.callee);
      if (callee === 'Deno.serve') found = 'deno';
      else if (callee === 'Bun.serve') found = 'bun';
    });
    if (found !== undefined) return found;
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
  const served = servedBy(sources);
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
