import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { DoctorArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { type AuditRunner, auditDependencies, npmAudit } from './audit.js';
import { runStaticChecks, staticChecks } from './checks/index.js';
import type { Finding } from './findings.js';
import { type LiveOptions, type LiveResult, probeService, UnreachableError } from './live.js';
import { defaultLimits, type Project, type ReadLimits, readProject } from './project.js';
import { formatReport } from './report.js';
import { score } from './score.js';

export interface DoctorContext {
  cwd: string;
  stdout: Writable;
  /** Where a failed --url probe is also said, next to the report. */
  stderr: Writable;
  /** ANSI colours in the human report (a terminal, and NO_COLOR unset). */
  colours: boolean;
  /** Replaces `npm audit` (tests). */
  audit?: AuditRunner;
}

/** NO_COLOR (https://no-color.org): present and not empty turns colours off. */
export function wantsColours(isTerminal: boolean, env: Record<string, string | undefined>): boolean {
  return isTerminal && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

function openProject(dir: string, limits: ReadLimits): Project {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`No such directory: ${dir}`);
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new UsageError(`${dir} has no package.json: doctor audits Node.js backend projects`);
  }
  try {
    return readProject(dir, limits);
  } catch (error) {
    throw new UsageError(`Cannot read ${path.join(dir, 'package.json')}: ${(error as Error).message}`);
  }
}

/** The probes' result, or why the service could not be probed: the static report stands either way. */
async function probe(options: LiveOptions): Promise<LiveResult | { error: string }> {
  try {
    return await probeService(options);
  } catch (error) {
    if (error instanceof UnreachableError) return { error: error.message };
    throw error;
  }
}

/** `create-sound-backend doctor`: static checks, npm audit and live probes, then one report and a verdict. */
export async function doctor(args: DoctorArgs, ctx: DoctorContext): Promise<number> {
  const dir = path.resolve(ctx.cwd, args.dir ?? '.');
  const project = openProject(dir, {
    maxFiles: args.maxFiles ?? defaultLimits.maxFiles,
    maxFileBytes: args.maxFileBytes ?? defaultLimits.maxFileBytes,
  });

  const findings: Finding[] = runStaticChecks(project);
  const skipped: Finding = {
    id: 'advisories',
    mistake: 5,
    source: 'static',
    severity: 'info',
    title: 'Known advisories: not checked (--no-audit)',
    evidence: [{ detail: 'npm audit was not run' }],
    fix: 'Run doctor without --no-audit, or npm audit --omit=dev.',
  };
  const [advisories, probed] = await Promise.all([
    args.audit ? auditDependencies(project, ctx.audit ?? npmAudit) : skipped,
    args.url === undefined ? undefined : probe({ url: args.url }),
  ]);
  if (advisories !== undefined) findings.push(advisories);
  const live = probed === undefined || 'error' in probed ? undefined : probed;
  const liveError = probed !== undefined && 'error' in probed ? probed.error : undefined;
  if (live !== undefined) findings.push(...live.findings);

  const scores = score(findings);
  // A URL that did not answer fails the run as a score under --min-score does (the help's exit 1).
  const passed = liveError === undefined && (args.minScore === undefined || scores.overall >= args.minScore);
  if (liveError !== undefined) ctx.stderr.write(`${liveError}\n`);
  if (args.json) {
    const summary = {
      dir,
      framework: project.framework ?? null,
      runtime: project.runtime,
      generatorVersion: project.generated?.generatorVersion ?? null,
      url: args.url?.href ?? null,
      live:
        liveError !== undefined
          ? { error: liveError }
          : live === undefined
            ? null
            : { requests: live.requests, durationMs: live.durationMs },
      score: scores.overall,
      minScore: args.minScore ?? null,
      passed,
      mistakes: scores.mistakes,
    };
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    ctx.stdout.write(
      formatReport(
        scores,
        {
          dir,
          framework: project.framework,
          runtime: project.runtime,
          generatorVersion: project.generated?.generatorVersion,
          url: args.url?.href,
          live: live ?? (liveError === undefined ? undefined : { error: liveError }),
          // The static checks and npm audit.
          checks: staticChecks.length + 1,
          minScore: args.minScore,
        },
        ctx.colours,
      ),
    );
  }
  return passed ? 0 : 1;
}
