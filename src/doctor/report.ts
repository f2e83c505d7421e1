import { describeEvidence, type Severity } from './findings.js';
import { type Runtime, runtimeNames } from './project.js';
import type { Scores } from './score.js';

export interface ReportContext {
  dir: string;
  framework: string | undefined;
  runtime: Runtime;
  generatorVersion: string | undefined;
  url: string | undefined;
  /** What the probes of --url did, or why they could not. */
  live: { requests: number; durationMs: number } | { error: string } | undefined;
  checks: number;
  minScore: number | undefined;
}

const frameworkNames: Record<string, string> = {
  fastify: 'Fastify',
  express: 'Express',
  nestjs: 'NestJS',
  koa: 'Koa',
  hono: 'Hono',
};

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
} as const;
type Style = keyof typeof codes;

/** ANSI styling, or plain text when colours are off. */
export function painter(colours: boolean): (style: Style, text: string) => string {
  return (style, text) => (colours ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
}

const severityStyle: Record<Severity, Style> = { high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };

function scoreStyle(value: number): Style {
  return value === 100 ? 'green' : value >= 60 ? 'yellow' : 'red';
}

const wrapIndent = '             ';

/** The human report: one block per mistake with its score, then the overall score and verdict. */
export function formatReport(scores: Scores, context: ReportContext, colours: boolean): string {
  const paint = painter(colours);
  const lines: string[] = [];
  const about = [
    (context.framework === undefined ? 'no known web framework' : `${frameworkNames[context.framework]} project`) +
      (context.runtime === 'node' ? '' : ` on ${runtimeNames[context.runtime]}`),
    context.generatorVersion === undefined ? undefined : `made by create-sound-backend ${context.generatorVersion}`,
  ].filter(Boolean);
  lines.push(`${paint('bold', 'create-sound-backend doctor')} ${context.dir}`);
  lines.push(`${about.join(', ')}; ${context.checks} static checks`);
  if (context.url !== undefined && context.live !== undefined) {
    lines.push(
      'error' in context.live
        ? `live probes of ${context.url}: ${paint('red', context.live.error)}; the report below is static only`
        : `live probes of ${context.url}: ${context.live.requests} requests in ${(context.live.durationMs / 1000).toFixed(1)} s`,
    );
  }
  for (const entry of scores.mistakes) {
    lines.push('');
    const heading = `${entry.mistake}. ${entry.title}`;
    lines.push(`${paint('bold', heading.padEnd(36))} ${paint(scoreStyle(entry.score), `${entry.score}/100`)}`);
    for (const finding of entry.findings) {
      const label = finding.severity.toUpperCase().padEnd(6);
      const live = finding.source === 'live' ? ' (live)' : '';
      lines.push(`   ${paint(severityStyle[finding.severity], label)}    ${finding.id}${live}: ${finding.title}`);
      for (const evidence of finding.evidence) lines.push(`${wrapIndent}${paint('dim', describeEvidence(evidence))}`);
      lines.push(`${wrapIndent}Fix: ${finding.fix}`);
    }
  }
  lines.push('');
  const verdict =
    context.minScore === undefined
      ? ''
      : scores.overall >= context.minScore
        ? ` (at least --min-score ${context.minScore})`
        : ` (${paint('red', `below --min-score ${context.minScore}`)})`;
  lines.push(`${paint('bold', 'Score')} ${paint(scoreStyle(scores.overall), `${scores.overall}/100`)}${verdict}`);
  return `${lines.join('\n')}\n`;
}
