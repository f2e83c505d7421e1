import { execFile } from 'node:child_process';
import type { Finding, Severity } from './findings.js';
import type { Project } from './project.js';

const AUDIT_TIMEOUT_MS = 30_000;

interface AuditReport {
  metadata?: { vulnerabilities?: Partial<Record<'info' | 'low' | 'moderate' | 'high' | 'critical', number>> };
  error?: { summary?: string };
  message?: string;
}

export type AuditRunner = (root: string) => Promise<string>;

/** `npm audit --json` of the production dependencies; its JSON comes on stdout, whatever the exit code. */
export const npmAudit: AuditRunner = (root) =>
  new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--json', '--omit=dev'],
      { cwd: root, timeout: AUDIT_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout) => resolve(stdout || (error ? JSON.stringify({ message: error.message.split('\n')[0] }) : '')),
    );
  });

const finding = (severity: Severity, title: string, detail: string, fix: string): Finding => ({
  id: 'advisories',
  mistake: 5,
  source: 'static',
  severity,
  title,
  evidence: [{ file: 'package-lock.json', detail }],
  fix,
});

const couldNotCheck = (why: string): Finding => ({
  id: 'advisories',
  mistake: 5,
  source: 'static',
  severity: 'info',
  title: 'Known advisories: could not check',
  evidence: [{ detail: why }],
  fix: 'Run npm audit --omit=dev where the registry is reachable.',
});

/** Reads npm audit's JSON: advisories found, none, or an answer that says nothing. */
export function auditFinding(output: string): Finding | undefined {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return couldNotCheck('npm audit gave no JSON answer');
  }
  const counts = report.metadata?.vulnerabilities;
  if (counts === undefined) {
    const why = report.error?.summary || report.message || 'npm audit gave no result';
    return couldNotCheck(`npm audit could not answer: ${why.split('\n')[0]}`);
  }
  const { critical = 0, high = 0, moderate = 0, low = 0 } = counts;
  const total = critical + high + moderate + low;
  if (total === 0) return undefined;
  const parts = Object.entries({ critical, high, moderate, low })
    .filter(([, count]) => count > 0)
    .map(([level, count]) => `${count} ${level}`);
  const severity: Severity = critical + high > 0 ? 'high' : moderate > 0 ? 'medium' : 'low';
  return finding(
    severity,
    'Production dependencies with known advisories',
    `npm audit --omit=dev: ${parts.join(', ')}`,
    'Run npm audit fix (or update the named packages) and commit the new lockfile.',
  );
}

/** Audits when npm can answer for this project; `undefined` when there is nothing to report. */
export async function auditDependencies(project: Project, run: AuditRunner = npmAudit): Promise<Finding | undefined> {
  if (Object.keys(project.dependencies).length === 0) return undefined;
  if (!project.files.includes('package-lock.json') && !project.files.includes('npm-shrinkwrap.json')) {
    const other = ['pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'].find((file) => project.files.includes(file));
    return couldNotCheck(
      other
        ? `npm audit reads package-lock.json; this project has ${other} (use its own audit command)`
        : 'no lockfile to audit',
    );
  }
  return auditFinding(await run(project.root));
}
