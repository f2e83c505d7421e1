import type { Project, Runtime } from './project.js';

/** The six mistakes of CONTRACT.md, in its order. */
export const mistakes = {
  1: 'Ignoring scalability',
  2: 'Poor database design',
  3: 'No proper error handling',
  4: 'Overcomplicated architecture',
  5: 'Unsecured APIs',
  6: 'No observability',
} as const;

export type Mistake = keyof typeof mistakes;
export const mistakeNumbers = [1, 2, 3, 4, 5, 6] as const satisfies Mistake[];

/** `info` says what could not be checked; it costs no points. */
export type Severity = 'high' | 'medium' | 'low' | 'info';

/** Where a finding shows, or, without a file, what is missing. */
export interface Evidence {
  file?: string;
  line?: number;
  detail: string;
}

export interface Finding {
  id: string;
  mistake: Mistake;
  severity: Severity;
  title: string;
  evidence: Evidence[];
  fix: string;
  /** `static` from reading the folder, `live` from probing --url. */
  source: 'static' | 'live';
  /** Nothing shows the mistake is avoided (no server code to read): it scores 0, whatever else is found. */
  scoresZero?: true;
}

/** What a check reports; the runner adds its id, mistake and source. */
export type Draft = Omit<Finding, 'id' | 'mistake' | 'source'>;

export interface StaticCheck {
  id: string;
  mistake: Mistake;
  /**
   * The check reports something missing ("no rate limiter"): while some file is unread, its
   * finding is only `info`, since the missing thing may be in that file.
   */
  claimsAbsence?: true;
  /** Runtimes where the check does not apply, each with the reason shown instead of a finding. */
  notApplicable?: Partial<Record<Runtime, string>>;
  run(project: Project): Draft | undefined;
}

export const missing = (detail: string): Evidence => ({ detail: `missing: ${detail}` });

export const at = (file: { path: string; lineOf(index: number): number }, index: number, detail: string): Evidence => ({
  file: file.path,
  line: file.lineOf(index),
  detail,
});

/** `file:line detail`, or the detail alone for something missing. */
export function describeEvidence(evidence: Evidence): string {
  if (evidence.file === undefined) return evidence.detail;
  const where = evidence.line === undefined ? evidence.file : `${evidence.file}:${evidence.line}`;
  return `${where} ${evidence.detail}`;
}
