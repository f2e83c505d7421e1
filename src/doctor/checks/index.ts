import { type Finding, type Mistake, missing, mistakeNumbers, type StaticCheck } from '../findings.js';
import { FRAMEWORK_PACKAGES, type Project, runtimeNames } from '../project.js';
import { asNotFoundInFilesRead, unreadFinding } from '../unread.js';
import { databaseChecks } from './database.js';
import { errorChecks } from './errors.js';
import { appSources, firstImport, firstMatch } from './helpers.js';
import { observabilityChecks } from './observability.js';
import { scalabilityChecks } from './scalability.js';
import { securityChecks } from './security.js';
import { simplicityChecks } from './simplicity.js';

/** Every static check, in the order of the six mistakes. */
export const staticChecks: StaticCheck[] = [
  ...scalabilityChecks,
  ...databaseChecks,
  ...errorChecks,
  ...simplicityChecks,
  ...securityChecks,
  ...observabilityChecks,
];

// Server packages besides the five frameworks doctor knows by name.
const SERVER_PACKAGES = [
  ...Object.values(FRAMEWORK_PACKAGES),
  '@nestjs/common',
  '@hapi/hapi',
  'restify',
  'polka',
  'micro',
  'h3',
  'elysia',
  '@adonisjs/core',
];
const STARTS_SERVER =
  /\bcreateServer\s*\(|\b(?:Deno|Bun)\.serve\s*\(|\bexport\s+default\s*\{[^}]*\bfetch\b|\.listen\s*\(/;

/** Does some app file use a web framework or start a server? Without one, no check can show a mistake avoided. */
export function servesRequests(project: Project): boolean {
  return (
    firstImport(project, SERVER_PACKAGES) !== undefined || firstMatch(appSources(project), STARTS_SERVER) !== undefined
  );
}

/** One finding per mistake that sets its score to 0: an empty folder must not pass for a careful one. */
function nothingToJudge(project: Project): Finding[] {
  const read = project.sources.length;
  return mistakeNumbers.map((mistake) => ({
    id: 'no-server-code',
    mistake,
    source: 'static',
    severity: 'high',
    title: 'No server code: nothing shows this mistake is avoided',
    evidence: [
      missing(
        `no source file that uses a web framework or starts a server (${read} source ${read === 1 ? 'file' : 'files'} read)`,
      ),
    ],
    fix: 'Run doctor in the folder of the service (where its package.json and src/ are), or audit it once it serves requests.',
    scoresZero: true,
  }));
}

/** One `info` finding per mistake naming the checks the runtime makes moot, and why, instead of failing them. */
function notApplicable(project: Project, skipped: StaticCheck[]): Finding[] {
  const byMistake = new Map<Mistake, StaticCheck[]>();
  for (const check of skipped) byMistake.set(check.mistake, [...(byMistake.get(check.mistake) ?? []), check]);
  const runtime = runtimeNames[project.runtime];
  return [...byMistake].map(([mistake, checks]) => ({
    id: 'runtime',
    mistake,
    source: 'static',
    severity: 'info',
    title: `Not applicable on ${runtime}`,
    evidence: checks.map((check) => ({ detail: `${check.id}: ${check.notApplicable?.[project.runtime]}` })),
    fix: `Nothing to do: each reason above says why the check does not apply on ${runtime}.`,
  }));
}

export function runStaticChecks(project: Project): Finding[] {
  const applies = (check: StaticCheck) => check.notApplicable?.[project.runtime] === undefined;
  const allRead = project.unread.length === 0;
  const findings: Finding[] = staticChecks.filter(applies).flatMap((check) => {
    const draft = check.run(project);
    if (draft === undefined) return [];
    const finding: Finding = { id: check.id, mistake: check.mistake, source: 'static', ...draft };
    return [check.claimsAbsence && !allRead ? asNotFoundInFilesRead(finding) : finding];
  });
  const skipped = staticChecks.filter((check) => !applies(check));
  if (skipped.length > 0) findings.push(...notApplicable(project, skipped));
  if (!servesRequests(project)) {
    findings.push(...nothingToJudge(project).map((finding) => (allRead ? finding : asNotFoundInFilesRead(finding))));
  }
  const unread = unreadFinding(project);
  if (unread !== undefined) findings.unshift(unread);
  return findings;
}
