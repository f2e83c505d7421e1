import type { Evidence, Finding } from './findings.js';
import type { Project, UnreadFile } from './project.js';

const REASONS: Record<UnreadFile['why'], string> = {
  size: 'larger than --max-file-size',
  count: 'past --max-files',
  syntax: 'not JavaScript or TypeScript that @babel/parser reads',
};
const SHOWN = 20;

/** One `info` finding listing the files doctor did not read, or undefined when it read them all. */
export function unreadFinding(project: Project): Finding | undefined {
  if (project.unread.length === 0) return undefined;
  const evidence: Evidence[] = project.unread
    .slice(0, SHOWN)
    .map((file) => ({ file: file.path, detail: REASONS[file.why] }));
  if (project.unread.length > SHOWN) evidence.push({ detail: `and ${project.unread.length - SHOWN} more` });
  return {
    id: 'unread-files',
    // Shown first in the report, whatever the checks it weakens.
    mistake: 1,
    source: 'static',
    severity: 'info',
    title: `${project.unread.length} ${project.unread.length === 1 ? 'file was' : 'files were'} not read: "missing" findings are info only`,
    evidence,
    fix: 'Raise --max-files or --max-file-size to read them, or run doctor on the service folder only.',
  };
}

/** A "missing X" finding while code is unread: X may be in that code, so it costs nothing. */
export function asNotFoundInFilesRead(finding: Finding): Finding {
  return {
    ...finding,
    severity: 'info',
    title: `${finding.title} (not found in the files read)`,
    scoresZero: finding.scoresZero,
  };
}
