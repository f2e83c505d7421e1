import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot, scratchDir } from '../helpers.js';

const configs = path.join(repoRoot, 'test/openapi');
const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);
// Neither tool may phone home from a test run, nor nag about its own updates.
const quiet = {
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  SCARF_ANALYTICS: 'false',
  NO_COLOR: '1',
};

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

interface SpectralResult {
  code: string;
  severity: number;
  message: string;
  path: string[];
}

/**
 * Lints an OpenAPI document with two tools nobody here wrote: Redocly CLI (its `recommended`
 * rules, test/openapi/redocly.yaml) and Spectral (its OpenAPI rules and the OWASP API Security
 * ruleset, test/openapi/spectral.yaml). `open` is for a project made with `--auth none`, whose
 * operations ask for no credential on purpose. Returns every error and warning either finds, one
 * line each: none means the document passes.
 */
export async function lintOpenApi(document: unknown, options: { open: boolean }): Promise<string[]> {
  // Redocly reads its ignore file beside its config, with paths relative to it: all three
  // files go in one folder of their own.
  const dir = scratchDir('csb-openapi-');
  try {
    // The name selects the exemptions of an open API in both tools' configuration.
    const file = options.open ? 'no-auth.openapi.json' : 'openapi.json';
    writeFileSync(path.join(dir, file), JSON.stringify(document, null, 2));
    for (const config of ['redocly.yaml', '.redocly.lint-ignore.yaml']) {
      copyFileSync(path.join(configs, config), path.join(dir, config));
    }
    const run = (tool: string, args: string[]) => execa(bin(tool), args, { cwd: dir, env: quiet, reject: false });
    const redocly = await run('redocly', ['lint', file, '--config', 'redocly.yaml', '--format', 'json']);
    const ruleset = path.join(configs, 'spectral.yaml');
    const spectral = await run('spectral', ['lint', file, '-r', ruleset, '-f', 'json', '--quiet']);
    const findings: string[] = [];
    try {
      const { problems } = JSON.parse(redocly.stdout) as { problems: RedoclyProblem[] };
      for (const problem of problems) {
        const where = problem.location[0]?.pointer ?? '';
        findings.push(`redocly ${problem.severity} ${problem.ruleId} ${where}: ${problem.message}`);
      }
    } catch {
      findings.push(`redocly exited ${redocly.exitCode}: ${redocly.stderr.slice(-2_000)}`);
    }
    try {
      // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
      for (const result of JSON.parse(spectral.stdout) as SpectralResult[]) {
        if (result.severity > 1) continue;
        const severity = result.severity === 0 ? 'error' : 'warning';
        findings.push(`spectral ${severity} ${result.code} ${result.path.join('.')}: ${result.message}`);
      }
    } catch {
      findings.push(`spectral exited ${spectral.exitCode}: ${spectral.stderr.slice(-2_000)}`);
    }
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
