import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStaticChecks } from '../../src/doctor/checks/index.js';
import { describeEvidence, type Finding } from '../../src/doctor/findings.js';
import { defaultLimits, type ReadLimits, readProject } from '../../src/doctor/project.js';

/** Writes the files into a fresh folder and returns that folder. */
export function projectOf(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'csb-doctor-unit-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** The static findings doctor reports on these files. */
export function findingsOf(files: Record<string, string>, limits: Partial<ReadLimits> = {}): Finding[] {
  return runStaticChecks(readProject(projectOf(files), { ...defaultLimits, ...limits }));
}

/** `id severity: evidence` per piece of evidence, for exact comparisons. */
export function linesOf(findings: Finding[], ids?: string[]): string[] {
  return findings
    .filter((finding) => ids === undefined || ids.includes(finding.id))
    .flatMap((finding) =>
      finding.evidence.map((evidence) => `${finding.id} ${finding.severity}: ${describeEvidence(evidence)}`),
    );
}
