import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { dependencyVersions } from '../generators/versions.js';
import { repoRoot, scratchDir } from './helpers.js';
import { projectEnv } from './project-node.js';

/**
 * Global setup of the tests that install generated SQLite projects (e2e, matrix): better-sqlite3
 * is compiled once for the run, and every install of the run takes that build instead of
 * compiling its own (about 100 s of one core each here, where the prebuilt binaries on GitHub
 * are out of reach).
 *
 * The mechanism is better-sqlite3's own: its install script is `prebuild-install || node-gyp
 * rebuild`, and prebuild-install looks for the release tarball in the folder named by
 * `npm_config_better_sqlite3_local_prebuilds` before it downloads anything. The tarball holds
 * `build/Release/better_sqlite3.node`, as a release's does, and prebuild-install loads the binary
 * before it accepts it; a missing or unloadable one means a compile, as before. The variable is
 * set for this test run only: a user's install is untouched.
 *
 * The binary is made for the Node the projects run on (test/project-node.ts, set up before this),
 * which may not be the one running the tests: compiled by that Node's npm against its headers, and
 * named with its ABI, as prebuild-install run by that Node looks for it.
 */
export async function setup(): Promise<void> {
  const folder = path.join(repoRoot, 'node_modules/.cache/better-sqlite3-prebuilds');
  const dir = scratchDir('csb-better-sqlite3-');
  try {
    // The version the generated projects' range resolves to now, as npm resolves it (no compile yet).
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true }));
    const range = dependencyVersions['better-sqlite3'];
    await execa('npm', ['install', `better-sqlite3@${range}`, '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: projectEnv(),
    });
    const installed = path.join(dir, 'node_modules/better-sqlite3');
    const { version } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string };
    const { stdout: abi } = await execa('node', ['-p', 'process.versions.modules'], { env: projectEnv() });
    // prebuild-install's file name for a release binary, with glibc's empty libc part.
    const file = `better-sqlite3-v${version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`;
    if (!existsSync(path.join(folder, file))) {
      // Its own install script, so the same compile a user's install falls back to.
      await execa('npm', ['rebuild', 'better-sqlite3'], { cwd: dir, env: projectEnv() });
      mkdirSync(folder, { recursive: true });
      await execa('tar', ['-czf', path.join(folder, file), '-C', installed, 'build/Release/better_sqlite3.node']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Workers are made after the global setup, with this environment; every npm they run inherits it.
  process.env.npm_config_better_sqlite3_local_prebuilds = folder;
}
