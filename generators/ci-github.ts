import type { CiService } from './ci.js';
import type { Feature } from './feature.js';

/** The width the generated project's lines keep to (its Biome configuration's). */
const lineWidth = 100;

/** Words joined by spaces into lines no longer than the width, each indented. */
function wrapped(words: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    const joined = `${lines[last]} ${word}`;
    if (last >= 0 && joined.length <= lineWidth) lines[last] = joined;
    else lines.push(`${indent}${word}`);
  }
  return lines;
}

/** One service container of the job, as GitHub Actions writes it under `services:`. */
function serviceLines(name: string, service: CiService): string[] {
  const lines = [
    ...(service.comment ? [`      # ${service.comment}`] : []),
    `      ${name}:`,
    `        image: ${service.image}`,
  ];
  const env = Object.entries(service.env ?? {});
  if (env.length > 0) lines.push('        env:', ...env.map(([key, value]) => `          ${key}: ${value}`));
  lines.push('        ports:', ...service.ports.map((port) => `          - ${port}`));
  const health = service.healthcheck;
  if (health) {
    if (health.command.includes('"')) throw new Error(`The health command of ${name} may not hold a double quote`);
    const options = [
      `--health-cmd "${health.command}"`,
      `--health-interval ${health.interval}`,
      `--health-timeout ${health.timeout}`,
      `--health-retries ${health.retries}`,
    ];
    lines.push('        options: >-', ...wrapped(options, '          '));
  }
  return lines;
}

/**
 * The job's servers and variables, from every feature's `ci` part (databases, caches), with the
 * first note that says why; empty when the tests need no server.
 */
export function ciServicesFor(features: readonly Feature[]): string {
  const parts = features.flatMap((feature) => (feature.ci ? [feature.ci] : []));
  const services = parts.flatMap((part) => Object.entries(part.services ?? {}));
  const env = parts.flatMap((part) => Object.entries(part.env ?? {}));
  const note = parts.find((part) => part.servicesNote !== undefined)?.servicesNote;
  const lines: string[] = [];
  if (services.length > 0) {
    const names = services.map(([name]) => name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) throw new Error(`Two features declare the CI service ${twice}`);
    lines.push(...(note ? [`    # ${note}`] : []), '    services:');
    for (const [name, service] of services) lines.push(...serviceLines(name, service));
  }
  if (env.length > 0) lines.push('    env:', ...env.map(([key, value]) => `      ${key}: ${value}`));
  return lines.join('\n');
}

/** What `doctor` scores a project no feature raises: without metrics, it loses 20 of 100 on mistake 6. */
const baseDoctorScore = 96;

/** The audit step: `doctor` must give the score the project's features reach, and says why when under 100. */
export function ciDoctorStepFor(features: readonly Feature[], generatorVersion: string): string {
  const score = Math.max(baseDoctorScore, ...features.map((feature) => feature.ci?.doctorScore ?? 0));
  const step = `      - run: npx --yes create-sound-backend@${generatorVersion} doctor --min-score ${score}`;
  if (score === 100) return step;
  return `      # The project has no metrics, which costs it 20 of 100 on mistake 6.\n${step}`;
}

/**
 * A GitHub Actions workflow: lint, typecheck, test and build on Node 22 and 24, against the servers
 * the other features declare in their `ci` part, then the doctor's audit.
 */
export const ciGithub: Feature = {
  id: 'ci-github',
  snippets: [
    { place: 'ciServices', text: (_, features) => ciServicesFor(features) },
    { place: 'ciDoctor', text: (data, features) => ciDoctorStepFor(features, data.generatorVersion) },
  ],
  readme: [
    { place: 'readmeStack', order: 60, text: ', GitHub Actions' },
    { place: 'readmeDoctor', text: 'The CI workflow runs it with `--min-score 100`.' },
  ],
};
