// node bench/doctor-5000.mjs [--runs N] [OTHER_CLI.js ...]: a static doctor run on a generated
// project grown to 5,000 files. Never a test: it prints the figures (the median, and each run with
// the 1-minute load average just before it). Other builds of the command (another checkout's
// bin/create-sound-backend.js) are measured on the same project, their runs interleaved with this
// build's, so that a change in the machine's load falls on all of them alike.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'bin/create-sound-backend.js');
const TARGET = 5000;

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt === -1 ? 5 : Number(args.splice(runsAt, 2)[1]);
const clis = [cli, ...args.map((other) => path.resolve(other))];

const countFiles = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;

const work = mkdtempSync(path.join(tmpdir(), 'csb-doctor-5000-'));
const project = path.join(work, 'api');
const made = spawnSync(
  process.execPath,
  [cli, project, '--db', 'postgres', '--auth', 'jwt', '--cache', 'redis', '--no-install', '--no-git', '--yes'],
  { encoding: 'utf8' },
);
if (made.status !== 0) throw new Error(made.stderr);

// Copies of the example module (src/modules/items) until the project holds 5,000 files.
const items = path.join(project, 'src/modules/items');
const perCopy = countFiles(items);
for (let copy = 1; countFiles(project) + perCopy <= TARGET; copy++) {
  cpSync(items, path.join(project, `src/modules/items${copy}`), { recursive: true });
}
for (let extra = 0; countFiles(project) < TARGET; extra++) {
  cpSync(path.join(items, readdirSync(items)[0]), path.join(project, `src/modules/extra-${extra}.ts`));
}
const files = countFiles(project);

const runs = clis.map(() => []);
const reports = clis.map(() => undefined);
for (let run = 0; run < RUNS; run++) {
  clis.forEach((command, which) => {
    const load = loadavg()[0];
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [command, 'doctor', project, '--no-audit', '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    runs[which].push({ ms: Number(process.hrtime.bigint() - started) / 1e6, load });
    if (result.status === 2) throw new Error(result.stderr);
    reports[which] ??= JSON.parse(result.stdout);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const findingsOf = (report) =>
  report.mistakes
    .flatMap((mistake) => mistake.findings)
    .map((finding) => `${finding.id} ${finding.severity} ${finding.evidence.length}`)
    .sort()
    .join('; ');

console.log(`${files} files`);
clis.forEach((command, which) => {
  const report = reports[which];
  const unread = report.mistakes.flatMap((m) => m.findings).filter((f) => f.id === 'unread-files');
  console.log(
    `${path.relative(process.cwd(), command) || command}: median ${median(runs[which].map((run) => run.ms)).toFixed(0)} ms ` +
      `(runs, with the load average before each: ${runs[which].map((run) => `${run.ms.toFixed(0)} @ ${run.load.toFixed(2)}`).join(', ')}); ` +
      `score ${report.score}, unread-files findings: ${unread.length}`,
  );
  if (which > 0) {
    const same = findingsOf(report) === findingsOf(reports[0]);
    console.log(`  findings ${same ? 'equal' : 'DIFFER from'} this build's${same ? '' : `:\n  ${findingsOf(report)}`}`);
  }
});
console.log(`this build's findings: ${findingsOf(reports[0])}`);
rmSync(work, { recursive: true, force: true });
