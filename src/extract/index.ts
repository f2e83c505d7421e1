import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { monolithSecret } from '../../generators/auth-service-principal.js';
import { composeFile } from '../../generators/compose.js';
import { featuresFor } from '../../generators/index.js';
import { type Evolution, type EvolveSummary, evolve } from '../add/evolve.js';
import { projectRoot, readManifest, recordedInput } from '../add/index.js';
import type { ExtractArgs } from '../args.js';
import { choiceKinds } from '../catalogue.js';
import { UsageError } from '../errors.js';
import { devEnvFile, manifestFile, type PlanInput, planProject } from '../plan.js';
import { moveRowsScript, serviceSecretVariable } from '../remote.js';
import { resourceNames } from '../resource.js';
import { generatorVersion } from '../version.js';
import { createdPaths, type Manifest, randomSecret, writeProject } from '../write.js';
import { defaultPortOf, type ExtractSituation, extractRefusals, publishedPortsOf } from './refusals.js';
import { serviceInput } from './service.js';

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

/**
 * Reads what extract decides from: the manifest, read once by `extract`, is passed in (undefined
 * where the project has none). `extractRefusals` then decides from it.
 */
export function readSituation(
  args: ExtractArgs,
  ctx: ExtractContext,
  root: string,
  manifest: Manifest | undefined,
): ExtractSituation {
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

/**
 * Sets `name` in the monolith's .env (made, for this user only, when it has none), unless the
 * user set it already: an empty `name=` line gets the value, or a line is added.
 */
function setDevSecret(root: string, name: string, value: string): void {
  const file = path.join(root, devEnvFile);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (new RegExp(`^${name}=.+$`, 'm').test(text)) return;
  const empty = new RegExp(`^${name}=$`, 'm');
  const next = empty.test(text)
    ? text.replace(empty, `${name}=${value}`)
    : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${name}=${value}\n`;
  writeFileSync(file, next, { mode: 0o600 });
}

/** The service as the monolith records it: its port on this machine, its name, its folder from here. */
export interface ExtractedService {
  port: number;
  service: string;
  path: string;
}

/** The monolith afterwards: the module recorded as served by the service. */
export function monolithInput(project: PlanInput, module: string, remote: ExtractedService): PlanInput {
  return {
    ...project,
    resources: (project.resources ?? []).map((record) => (record.name === module ? { ...record, remote } : record)),
  };
}

/** Swallows what a check run of the monolith's change would print (on stderr too, with --json). */
const silent = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/** How the rows move, in the order that keeps them: the service's table first, this one's drop last. */
function moveRowsSteps(table: string, script: readonly string[], run: string): string[] {
  return [
    `\nMoving the ${table} rows (README.md, "Modules served by other services"): the service has a database of its own`,
    `(DATABASE_URL in its .env); run its db:migrate, copy the rows, then run ${run} db:migrate here, which drops ${table}:`,
    ...script.map((line) => `  ${line}`),
  ];
}

/** The service's choices, as create's summary names them. */
function optionsOf(input: PlanInput): Record<string, unknown> {
  return { ...Object.fromEntries(choiceKinds.map((kind) => [kind, input.stack[kind]])), pm: input.pm };
}

/** `create-sound-backend extract <module>`: the module moved out of the monolith into a service. */
export async function extract(args: ExtractArgs, ctx: ExtractContext): Promise<number> {
  const human = args.json ? ctx.stderr : ctx.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  // 1. Decide: every refusal first, then the service's plan. Nothing is written before all of it.
  const root = projectRoot(args, ctx);
  const manifest = existsSync(path.join(root, manifestFile)) ? readManifest(root) : undefined;
  const situation = readSituation(args, ctx, root, manifest);
  const reasons = extractRefusals(situation);
  if (reasons.length > 0 || manifest === undefined) throw new UsageError(reasons.join('\n'));
  const { port, target } = situation;
  const module = args.module as string;
  const project = recordedInput(root, manifest);
  const service = serviceInput(project, module, target.path, port);
  const plan = planProject(service.input, generatorVersion());
  const files = createdPaths(plan, target.path);
  const secrets = sharedSecrets(root);
  const shared = plan.devSecrets.filter((name) => secrets.has(name));
  // API keys stay here: the monolith signs their callers' principals for the service with a
  // secret both .env files hold (the service's MONOLITH_SECRET), one the user set or a new one.
  const signingName = serviceSecretVariable(resourceNames(module));
  const signing = plan.devSecrets.includes(monolithSecret)
    ? { name: signingName, value: secrets.get(signingName) ?? randomSecret() }
    : undefined;

  const verb = args.dryRun ? 'would create' : 'created';
  const lines = [
    `extract ${module} ${verb} the service ${service.input.name} in ${target.path} (port ${port}), ${files.length} files:`,
    ...files.map((file) => `  create ${file}`),
  ];
  const columns = service.plainColumns.map((column) => `  ${column.field}: ${column.why}`);
  // The monolith's side goes through add's pipeline: three-way merges that keep the user's edits,
  // the module's table dropped by a new migration, written all or nothing.
  const monolith = (dryRun: boolean, report?: Evolution['report']): Evolution => ({
    command: 'extract',
    what: module,
    root,
    manifest,
    before: project,
    after: monolithInput(project, module, {
      port,
      service: service.input.name,
      path: path.relative(root, target.path).split(path.sep).join('/'),
    }),
    flags: { force: false, merge: false, dryRun, json: args.json },
    inTheWay: 'Commit or move your version and run extract again: neither project was written.',
    setInEnv: signing === undefined ? [] : [signing.name],
    ...(report === undefined ? {} : { report }),
  });
  const run = plan.data.pm.run;
  const { table } = resourceNames(module);
  const script = moveRowsScript(featuresFor(project.stack), table).split('\n');
  const moveRows = moveRowsSteps(table, script, run);
  const shown = path.relative(ctx.cwd, target.path) || '.';
  const database = service.input.identity?.database;
  const create = featuresFor(service.input.stack).find((feature) => feature.createDatabase)?.createDatabase;
  const steps = [
    `cd ${shown}`,
    `${project.pm} install`,
    ...(create && database ? [`${create(database)}   # its own database, DATABASE_URL in .env`] : []),
    `${run} db:generate`,
    `${run} db:migrate`,
    `${run} test`,
  ];

  // With --json, one summary of both projects, printed where add's --json prints the monolith's
  // part (a dry run the user's edits would stop prints it, then stops).
  const printSummary = (changed: EvolveSummary) => {
    const { dir, changes, contributions, keptDeleted, conflicts, next, dryRun } = changed;
    const migration = changes.find((change) => change.action === 'create' && /^drizzle\/[^/]+\.sql$/.test(change.path));
    const summary = {
      extract: module,
      dir: target.path,
      options: optionsOf(service.input),
      port,
      files,
      plainColumns: service.plainColumns,
      sharedSecrets: shared,
      // API-key callers reach the service signed: the variable here and the service's, one value.
      signingSecret: signing === undefined ? null : { monolith: signing.name, service: monolithSecret },
      monolith: { dir, changes, contributions, keptDeleted, conflicts, dropMigration: migration?.path ?? null, next },
      moveRows: script,
      next: steps,
      ...(dryRun ? { dryRun } : {}),
    };
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  };
  const changeMonolith = (dryRun: boolean) => evolve(monolith(dryRun, args.json ? printSummary : undefined), ctx);

  // 2. Dry run: both projects' changes, nothing written.
  if (args.dryRun) {
    for (const line of lines) say(line);
    if (columns.length > 0) say(`References that become plain columns in the service:\n${columns.join('\n')}`);
    if (signing !== undefined) {
      say(`${devEnvFile} would get ${signing.name}, the same value as the service's ${monolithSecret}.`);
    }
    for (const line of moveRows) say(line);
    say('');
    return changeMonolith(true);
  }

  // 3. The monolith's change is decided first: one it cannot make (a conflict with the user's
  // edits) stops the run before the service is written (exit 2, nothing written).
  await evolve(monolith(true), { stdout: silent(), stderr: silent() });

  // 4. Write the service all or nothing, as create writes a project; then the monolith.
  let next = 0;
  await writeProject(plan, target.path, () => {
    // devEnvFor asks for one secret per name, in plan.devSecrets order.
    const name = plan.devSecrets[next++] ?? '';
    if (name === monolithSecret && signing !== undefined) return signing.value;
    return secrets.get(name) ?? randomSecret();
  });
  for (const line of lines) say(line);
  if (columns.length > 0) say(`References that became plain columns in the service:\n${columns.join('\n')}`);
  if (shared.length > 0)
    say(`${devEnvFile} has the monolith's ${shared.join(', ')}, so its tokens verify in the service.`);
  say(
    `\nNext for the service (db:generate writes the migration that creates its tables):\n${steps.map((step) => `  ${step}`).join('\n')}`,
  );
  if (signing !== undefined) {
    say(
      `The service's ${devEnvFile} has ${monolithSecret}, and this project's gets ${signing.name}, the same value: it signs the principal of each API-key caller for the service.`,
    );
  }
  for (const line of moveRows) say(line);
  say('');
  const code = await changeMonolith(false);
  if (code === 0 && signing !== undefined) setDevSecret(root, signing.name, signing.value);
  return code;
}
