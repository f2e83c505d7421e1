import type { Writable } from 'node:stream';
import type { PackageManager } from './catalogue.js';
import { StepError } from './errors.js';

/** Installs dependencies with the chosen package manager; its output goes to `log`. */
export async function installDependencies(dir: string, pm: PackageManager, log: Writable): Promise<void> {
  const { execa } = await import('execa');
  try {
    await execa(pm, ['install'], { cwd: dir, stdin: 'ignore', stdout: log, stderr: log });
  } catch (error) {
    const reason = (error as { shortMessage?: string }).shortMessage ?? String(error);
    throw new StepError(
      `${pm} install failed (${reason}).\nThe project files are in place; finish by hand:\n  cd ${dir}\n  ${pm} install`,
    );
  }
}

/** `git init` and a first commit, unless the folder is already inside a git work tree. */
export async function initGit(dir: string, generatorVersion: string): Promise<'created' | 'inside-repository'> {
  const { execa } = await import('execa');
  const git = (args: string[]) => execa('git', args, { cwd: dir, stdin: 'ignore' });
  try {
    const inside = await git(['rev-parse', '--is-inside-work-tree']).then(
      (result) => result.stdout.trim() === 'true',
      () => false,
    );
    if (inside) return 'inside-repository';
    await git(['init', '--quiet', '--initial-branch=main']);
    await git(['add', '--all']);
    // A machine with no git identity (fresh CI images) still gets its first commit.
    const identity = await git(['config', 'user.email']).then(
      () => [],
      () => ['-c', 'user.name=create-sound-backend', '-c', 'user.email=create-sound-backend@localhost'],
    );
    await git([
      ...identity,
      'commit',
      '--quiet',
      '--no-verify',
      '--message',
      `Initial commit from create-sound-backend ${generatorVersion}`,
    ]);
    return 'created';
  } catch (error) {
    const reason = (error as { shortMessage?: string }).shortMessage ?? String(error);
    throw new StepError(
      `git failed (${reason}).\nThe project files are in place; finish by hand:\n  cd ${dir}\n  git init && git add -A && git commit -m "Initial commit"`,
    );
  }
}
