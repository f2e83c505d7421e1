import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { composeFile } from '../../generators/compose.js';
import { projectRoot, readManifest, recordedInput } from '../add/index.js';
import type { ExtractArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { chosenValues } from '../options.js';
import { devEnvFile, manifestFile, planProject } from '../plan.js';
import { generatorVersion } from '../version.js';
import { createdPaths, randomSecret, writeProject } from '../write.js';
import { defaultPortOf, type ExtractSituation, extractRefusals, publishedPortsOf } from './refusals.js';
import { serviceInput, withPort } from './service.js';

export interface ExtractContext {
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

/** The project's `src/` files with their text, by path relative to the root (`/` separators). */
function sourcesOf(root: string): Map<string, string> {
  const src = path.join(root, 'src');
  if (!existsSync(src)) return new Map();
  return new Map(
    readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name))
      .map((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return [path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8')] as const;
      }),
  );
}

/** What is in the service's folder: undefined when there is none, null when it is a file. */
function entriesOf(target: string): readonly string[] | undefined | null {
  if (!existsSync(target)) return undefined;
  return statSync(target).isDirectory() ? readdirSync(target) : null;
}

/** Reads what extract decides from, then refuses (exit 2, one line per reason, nothing written). */
export function readSituation(args: ExtractArgs, ctx: ExtractContext): ExtractSituation {
  const root = projectRoot(args, ctx);
  const hasManifest = existsSync(path.join(root, manifestFile));
  const manifest = hasManifest ? readManifest(root) : undefined;
  const target = path.resolve(
    args.to === undefined ? root : ctx.cwd,
    args.to ?? `../${args.module ?? 'module'}-service`,
  );
  const compose = path.join(root, composeFile);
  const publishedPorts = existsSync(compose) ? publishedPortsOf(readFileSync(compose, 'utf8')) : [];
  return {
    root,
    module: args.module,
    resources: manifest === undefined ? undefined : (manifest.resources ?? []),
    auth: chosenValues(manifest?.options.auth),
    sources: sourcesOf(root),
    target: { path: target, entries: entriesOf(target) },
    port: args.port ?? defaultPortOf(publishedPorts),
    publishedPorts,
  };
}

/**
 * The monolith's development secrets, by name, from its .env: the service gets the same ones, so
 * a token the monolith signs verifies in the service.
 */
function sharedSecrets(root: string): Map<string, string> {
  const file = path.join(root, devEnvFile);
  if (!existsSync(file)) return new Map();
  return new Map(
    [...readFileSync(file, 'utf8').matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/gm)].map(
      (match) => [match[1] ?? '', match[2] ?? ''] as const,
    ),
  );
}

/** `create-sound-backend extract <module>`: the module moved out of the monolith into a service. */
export async function extract(args: ExtractArgs, ctx: ExtractContext): Promise<number> {
  const say = (line: string) => ctx.stdout.write(`${line}\n`);
  // 1. Decide: every refusal first, then the service's plan. Nothing is written before all of it.
  const situation = readSituation(args, ctx);
  const reasons = extractRefusals(situation);
  if (reasons.length > 0) throw new UsageError(reasons.join('\n'));
  const { root, port, target } = situation;
  const module = args.module as string;
  const project = recordedInput(root, readManifest(root));
  const service = serviceInput(project, module, target.path);
  const plan = withPort(planProject(service.input, generatorVersion()), port);
  const files = createdPaths(plan, target.path);
  const secrets = sharedSecrets(root);
  const shared = plan.devSecrets.filter((name) => secrets.has(name));

  const verb = args.dryRun ? 'would create' : 'created';
  const lines = [
    `extract ${module} ${verb} the service ${service.input.name} in ${target.path} (port ${port}), ${files.length} files:`,
    ...files.map((file) => `  create ${file}`),
  ];
  const columns = service.plainColumns.map((column) => `  ${column.field}: ${column.why}`);
  const monolith = `The monolith in ${root} is left as it is: serving ${module} through the service (src/lib/http-client.ts) and dropping its tables is not built yet.`;

  // 2. Dry run: both projects, nothing written.
  if (args.dryRun) {
    for (const line of lines) say(line);
    if (columns.length > 0) say(`References that become plain columns in the service:\n${columns.join('\n')}`);
    for (const note of service.authNotes) say(note);
    say(monolith);
    say('Dry run: nothing was written.');
    return 0;
  }

  // 3. Write the service all or nothing, as create writes a project.
  let next = 0;
  await writeProject(plan, target.path, () => {
    // devEnvFor asks for one secret per name, in plan.devSecrets order.
    const name = plan.devSecrets[next++] ?? '';
    return secrets.get(name) ?? randomSecret();
  });
  for (const line of lines) say(line);
  if (columns.length > 0) say(`References that became plain columns in the service:\n${columns.join('\n')}`);
  for (const note of service.authNotes) say(note);
  if (shared.length > 0)
    say(`${devEnvFile} has the monolith's ${shared.join(', ')}, so its tokens verify in the service.`);
  say(monolith);
  const run = plan.data.pm.run;
  const shown = path.relative(ctx.cwd, target.path) || '.';
  const steps = [`cd ${shown}`, `${project.pm} install`, `${run} db:generate`, `${run} db:migrate`, `${run} test`];
  say(
    `\nNext (db:generate writes the migration that creates the service's tables):\n${steps.map((step) => `  ${step}`).join('\n')}`,
  );
  return 0;
}
