// node bench/doctor-5000.mjs: a static doctor run on a generated project grown to 5,000 files.
// Never a test: it prints the figures (median of 3 runs, and each run).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'bin/create-sound-backend.js');
const TARGET = 5000;

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

const runs = [];
for (let run = 0; run < 3; run++) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'doctor', project, '--no-audit', '--json'], { encoding: 'utf8' });
  runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (result.status === 2) throw new Error(result.stderr);
  if (run === 0) {
    const report = JSON.parse(result.stdout);
    const unread = report.mistakes.flatMap((m) => m.findings).filter((f) => f.id === 'unread-files');
    console.log(`score ${report.score}, unread-files findings: ${unread.length}`);
  }
}
const median = [...runs].sort((a, b) => a - b)[1];
console.log(
  `${files} files; doctor --no-audit: median ${median.toFixed(0)} ms (runs: ${runs.map((ms) => ms.toFixed(0)).join(', ')})`,
);
rmSync(work, { recursive: true, force: true });
