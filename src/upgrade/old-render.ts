import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pauseMidWriteVariable } from '../apply.js';
import { CancelledError, CliError, UsageError } from '../errors.js';
import { manifestFile } from '../plan.js';
import type { Manifest } from '../write.js';

/**
 * The base of an upgrade: the project as the version recorded in its manifest rendered it. That
 * version's code is not ours to import, so it runs as its users run it: its own `render`
 * command, reading the project's manifest and writing into a temporary folder.
 */

const packageName = 'create-sound-backend';
const run = promisify(execFile);

/** The project to render again: its folder (the manifest is read there) and the version that made it. */
export interface RecordedProject {
  version: string;
  root: string;
}

export interface OldBuild {
  /** `--from`: a package folder (bin, dist, templates, package.json) or an `npm pack` tarball. */
  from: string | undefined;
  /** What a relative `--from` is relative to. */
  cwd: string;
}

/** What a command printed. */
interface Output {
  stdout: string;
  stderr: string;
}

/** The last line a failed command printed that says something, for a one-line message. */
function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1)?.trim() ?? 'no output';
}

/** The first line of an error, where tar says what is wrong (its last one only says it stopped). */
const firstLine = (output: string) => output.split('\n').find((line) => line.trim() !== '') ?? 'no output';

/** What `npm pack --json` said went wrong: its error code and summary (`E404 Not Found - GET …`). */
function npmReason({ stdout, stderr }: Output): string {
  try {
    const { error } = JSON.parse(stdout) as { error?: { code?: string; summary?: string } };
    if (error !== undefined) return [error.code, error.summary].filter(Boolean).join(' ');
  } catch {
    // Not npm's JSON: its own last words say more.
  }
  return lastLine(stderr);
}

/**
 * Runs a command; a signal (Ctrl-C) stops it and becomes a CancelledError, a failure a CliError
 * made by `explain` from what it printed.
 */
async function runStep(
  file: string,
  args: string[],
  cwd: string,
  signal: AbortSignal,
  explain: (output: Output) => CliError,
): Promise<Output> {
  // The child is a whole run of the tool: a test hook meant for this one must not stop it.
  const env = { ...process.env, [pauseMidWriteVariable]: undefined };
  try {
    return await run(file, args, { cwd, env, signal, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if (signal.aborted) throw new CancelledError();
    const { stdout = '', stderr = '' } = error as Partial<Output>;
    throw explain({ stdout, stderr });
  }
}

/** The version a package folder holds, or a usage error saying why it is not one of ours. */
async function packageVersion(root: string, source: string): Promise<string> {
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  } catch {
    throw new UsageError(`${source} has no readable package.json: pass a build of ${packageName}.`);
  }
  if (pkg.name !== packageName || typeof pkg.version !== 'string') {
    throw new UsageError(`${source} is not a build of ${packageName} (its package.json names ${String(pkg.name)}).`);
  }
  return pkg.version;
}

/**
 * The package folder of the recorded version, inside `work`: `--from` as given (a folder) or
 * extracted (a tarball), else fetched from the registry with `npm pack`, the tarball `npx`
 * would run. Fetching apart from running tells "this version cannot be had" from "it failed".
 */
async function packageRoot(
  version: string,
  build: OldBuild,
  source: string,
  work: string,
  signal: AbortSignal,
): Promise<string> {
  let tarball: string;
  if (build.from === undefined) {
    const { stdout } = await runStep(
      'npm',
      ['pack', `${packageName}@${version}`, '--pack-destination', work, '--json'],
      work,
      signal,
      (output) => {
        return new UsageError(
          `Cannot fetch ${source}, the version that made this project (npm: ${npmReason(output)}): pass a build of it with --from <folder|tarball>.`,
        );
      },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    tarball = path.join(work, packed?.filename ?? `${packageName}-${version}.tgz`);
  } else {
    const full = path.resolve(build.cwd, build.from);
    if (!existsSync(full)) throw new UsageError(`${source}: no such file or folder.`);
    if (statSync(full).isDirectory()) return full;
    tarball = full;
  }
  const unpacked = path.join(work, 'unpacked');
  await mkdir(unpacked);
  await runStep('tar', ['-xzf', tarball, '-C', unpacked], work, signal, (output) => {
    return new UsageError(`${source} is not a folder or an npm pack tarball (tar: ${firstLine(output.stderr)}).`);
  });
  // `npm pack` puts every file under package/.
  return path.join(unpacked, 'package');
}

/** Every file the old version wrote, by path, as its own manifest lists them. */
async function readProject(dir: string): Promise<Map<string, Buffer>> {
  const manifest = JSON.parse(await readFile(path.join(dir, manifestFile), 'utf8')) as Pick<Manifest, 'files'>;
  const files = new Map<string, Buffer>();
  for (const file of Object.keys(manifest.files)) files.set(file, await readFile(path.join(dir, file)));
  return files;
}

/**
 * The project rendered by the version that made it, from the manifest in its folder.
 * The temporary folder goes, whatever happens; Ctrl-C stops the old version and exits 130.
 */
export async function renderOldVersion(project: RecordedProject, build: OldBuild): Promise<Map<string, Buffer>> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // How messages name the build: as the user gave it, or as npm knows it.
  const source = build.from === undefined ? `${packageName}@${project.version}` : `--from ${build.from}`;
  const work = await mkdtemp(path.join(tmpdir(), 'sound-backend-upgrade-'));
  try {
    const root = await packageRoot(project.version, build, source, work, controller.signal);
    const version = await packageVersion(root, source);
    if (version !== project.version) {
      throw new UsageError(
        `${source} is ${packageName} ${version}, but ${project.version} made this project: pass a build of ${project.version}.`,
      );
    }
    const bin = path.join(root, 'bin', `${packageName}.js`);
    if (!existsSync(bin)) throw new UsageError(`${source} has no bin/${packageName}.js.`);

    const failed = (output: Output) =>
      new CliError(
        `${packageName} ${project.version} could not render this project again: ${lastLine(output.stderr || output.stdout)}`,
        1,
      );
    // Its `render`: the manifest as that version renders it, every record (fields, access,
    // extracted modules, a service's identity) as it read them. The project is only read.
    const dir = path.join(work, 'render');
    await runStep(process.execPath, [bin, 'render', dir, '--cwd', project.root], work, controller.signal, failed);
    const files = await readProject(dir);
    // A signal between two steps stopped nothing yet: it stops the upgrade here.
    if (controller.signal.aborted) throw new CancelledError();
    return files;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await rm(work, { recursive: true, force: true });
  }
}
