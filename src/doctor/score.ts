import { type Finding, type Mistake, mistakeNumbers, mistakes, type Severity } from './findings.js';

/** Points a finding costs its mistake, out of 100; `info` (could not check) costs none. */
export const penalties: Record<Severity, number> = { high: 40, medium: 20, low: 10, info: 0 };

export interface MistakeScore {
  mistake: Mistake;
  title: string;
  score: number;
  findings: Finding[];
}

export interface Scores {
  /** The mean of the six, rounded down: full marks only when every mistake has them. */
  overall: number;
  mistakes: MistakeScore[];
}

const severityOrder: Severity[] = ['high', 'medium', 'low', 'info'];

export function score(findings: Finding[]): Scores {
  const perMistake = mistakeNumbers.map((mistake) => {
    const own = findings
      .filter((finding) => finding.mistake === mistake)
      .sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity));
    const lost = own.reduce((sum, finding) => sum + penalties[finding.severity], 0);
    const score = own.some((finding) => finding.scoresZero) ? 0 : Math.max(0, 100 - lost);
    return { mistake, title: mistakes[mistake], score, findings: own };
  });
  const overall = Math.floor(perMistake.reduce((sum, entry) => sum + entry.score, 0) / perMistake.length);
  return { overall, mistakes: perMistake };
}
