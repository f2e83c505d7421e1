import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { composeUpCommand } from '../generators/compose.js';
import type { CreateArgs } from './args.js';
import { choiceKinds } from './catalogue.js';
import { UsageError } from './errors.js';
import {
  checkCombination,
  defaultProjectDir,
  missingChoices,
  type ProjectOptions,
  parsePreset,
  projectNameFor,
  type RequestedOptions,
  requestedOptions,
  withDefaults,
} from './options.js';
import { olderThanProjectNode, projectNode } from './package-json.js';
import { devEnvFile, type ProjectPlan, planProject } from './plan.js';
import { clackPrompter, isCI, type Prompter } from './prompts.js';
import { initGit, installDependencies } from './steps.js';
import { generatorVersion } from './version.js';
import { checkTarget, createdPaths, writeProject } from './write.js';

export interface CreateContext {
  cwd: string;
  env: Record<string, string | undefined>;
  interactiveTerminal: boolean;
  stdout: Writable;
  stderr: Writable;
  /** Replaces the terminal prompts (tests). */
  prompter?: Prompter;
  /** The version of the Node running the tool, `process.versions.node` unless a test says otherwise. */
  nodeVersion?: string;
}

function readPreset(file: string | undefined, cwd: string): Record<string, unknown> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read preset ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parsePreset(text, file);
}

/** Asks for what is open (in a terminal) or takes the defaults and says so. */
async function settle(
  requested: RequestedOptions,
  ctx: CreateContext,
  say: (line: string) => void,
): Promise<ProjectOptions> {
  const interactive = ctx.interactiveTerminal && !requested.yes && !isCI(ctx.env);
  const open = missingChoices(requested.stack);
  let dir = requested.dir;
  const stack = { ...requested.stack };
  if (interactive && (dir === undefined || open.length > 0)) {
    const prompter = ctx.prompter ?? (await clackPrompter());
    dir ??= await prompter.directory(defaultProjectDir);
    for (const kind of open) Object.assign(stack, { [kind]: await prompter.choice(kind) });
  } else {
    const defaults = withDefaults({});
    const taken = [
      ...(dir === undefined ? [`dir=${defaultProjectDir}`] : []),
      ...open.map((kind) => `${kind}=${String(defaults[kind])}`),
    ];
    const why = requested.yes ? '--yes' : isCI(ctx.env) ? 'CI' : 'no terminal';
    if (taken.length > 0) say(`No prompts (${why}): using defaults ${taken.join(' ')}`);
    dir ??= defaultProjectDir;
  }
  const full = withDefaults(stack);
  checkCombination(full);
  return {
    dir,
    name: projectNameFor(dir, ctx.cwd),
    stack: full,
    pm: requested.pm,
    install: requested.install,
    git: requested.git,
    dryRun: requested.dryRun,
    force: requested.force,
    json: requested.json,
  };
}

/**
 * A step when the Node running the tool is older than the project's `engines` allows (the tool
 * runs on it, the project does not), else none. What it installed was built for this Node: a
 * native addon (better-sqlite3) has to be built again.
 */
export function nodeStep(running: string, installed: boolean, pm: string): string[] {
  if (!olderThanProjectNode(running)) return [];
  const step = `switch to Node ${projectNode.current} (the project needs ${projectNode.oldest} or later; this is Node ${running})`;
  return [installed ? `${step}, then rm -rf node_modules && ${pm} install` : step];
}

/** Before the first migration: start the servers the app needs, or point it at them. */
function serverSteps({ services, variables, inCompose }: ProjectPlan['servers']): string[] {
  if (services.length === 0) return [];
  if (inCompose) return [composeUpCommand(services)];
  return [`set ${variables.join(', ')} in .env to your servers (see .env.example)`];
}

/** `create-sound-backend [dir]`: decide everything first, then write, install and commit. */
export async function create(args: CreateArgs, ctx: CreateContext): Promise<number> {
  const human = args.values.json ? ctx.stderr : ctx.stdout;
  const say = (line: string) => human.write(`${line}\n`);

  // 1. Decide: flags, preset, prompts, plan. Nothing is written before all of it passed.
  const requested = requestedOptions(args, readPreset(args.values.preset, ctx.cwd), ctx.env);
  const options = await settle(requested, ctx, say);
  const version = generatorVersion();
  const plan = planProject(options, version);
  const target = path.resolve(ctx.cwd, options.dir);
  checkTarget(target, plan, options.force);

  const shown = path.relative(ctx.cwd, target) || '.';
  const next = [
    ...(shown === '.' ? [] : [`cd ${shown}`]),
    ...nodeStep(ctx.nodeVersion ?? process.versions.node, options.install, options.pm),
    ...(options.install ? [] : [`${options.pm} install`]),
    ...serverSteps(plan.servers),
    ...[...plan.firstRun, 'dev'].map((script) => `${plan.data.pm.run} ${script}`),
  ];
  const summary = {
    dir: target,
    options: {
      ...Object.fromEntries(choiceKinds.map((kind) => [kind, options.stack[kind]])),
      pm: options.pm,
      install: options.install,
      git: options.git,
    },
    files: createdPaths(plan, target),
    next,
  };
  const describe = choiceKinds.map((kind) => `${kind}=${String(options.stack[kind])}`).join(' ');

  // 2. Dry run: say what would happen, touch nothing.
  if (options.dryRun) {
    say(`Would create ${options.name} in ${target} (${describe}), ${summary.files.length} files:`);
    for (const file of summary.files) say(`  ${file}`);
    if (options.json) ctx.stdout.write(`${JSON.stringify({ ...summary, dryRun: true }, null, 2)}\n`);
    return 0;
  }

  // 3. Write all of it or none of it, through the same apply as `add`.
  await writeProject(plan, target);
  say(`Created ${options.name} in ${target} (${describe}), ${summary.files.length} files.`);
  if (plan.devSecrets.length > 0) {
    const secrets = plan.devSecrets.join(', ');
    say(
      summary.files.includes(devEnvFile)
        ? `${devEnvFile} holds a random ${secrets} for development (git ignores it; production sets its own).`
        : `Kept your ${devEnvFile}: set ${secrets} in it, or each start makes a new one (see .env.example).`,
    );
  }

  // 4. Install, then commit, so the lockfile is in the first commit.
  const emit = () => options.json && ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  try {
    if (options.install) {
      say(`Installing dependencies with ${options.pm}…`);
      await installDependencies(target, options.pm, ctx.stderr);
    }
    if (options.git) {
      const result = await initGit(target, version);
      say(
        result === 'created'
          ? 'Initialised a git repository with a first commit.'
          : 'Inside an existing git repository: left git alone.',
      );
    }
  } catch (error) {
    emit();
    throw error;
  }

  say(`\nNext:\n${next.map((step) => `  ${step}`).join('\n')}`);
  emit();
  return 0;
}
