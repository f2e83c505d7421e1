/**
 * What an upgrade changed that files alone do not finish: dependencies to install, migrations
 * to run and environment variables to set or drop. Decided from the old version's render and
 * the new one's, so the user's own dependencies and variables never show up here.
 */

type Files = ReadonlyMap<string, { toString(encoding: 'utf8'): string }>;

export interface UpgradeNotes {
  /** `+ name range`, `- name range` or `name old → new`, dependencies and devDependencies alike. */
  dependencies: string[];
  /** Migration files the new version adds or changes. */
  migrations: string[];
  variables: { added: string[]; removed: string[] };
}

function dependenciesOf(files: Files): Map<string, string> {
  const text = files.get('package.json')?.toString('utf8');
  if (text === undefined) return new Map();
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return new Map(Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }));
}

function variablesOf(files: Files): string[] {
  const text = files.get('.env.example')?.toString('utf8') ?? '';
  return [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

const isMigration = (file: string) => /^drizzle\/[^/]+\.sql$/.test(file);

export function upgradeNotes(base: Files, theirs: Files): UpgradeNotes {
  const was = dependenciesOf(base);
  const will = dependenciesOf(theirs);
  const dependencies: string[] = [];
  for (const [name, range] of [...will].sort(([a], [b]) => a.localeCompare(b))) {
    const old = was.get(name);
    if (old === undefined) dependencies.push(`+ ${name} ${range}`);
    else if (old !== range) dependencies.push(`${name} ${old} → ${range}`);
  }
  for (const [name, range] of was) if (!will.has(name)) dependencies.push(`- ${name} ${range}`);

  const migrations = [...theirs.keys()]
    .filter((file) => isMigration(file) && base.get(file)?.toString('utf8') !== theirs.get(file)?.toString('utf8'))
    .sort();

  const before = variablesOf(base);
  const after = variablesOf(theirs);
  return {
    dependencies,
    migrations,
    variables: {
      added: after.filter((name) => !before.includes(name)),
      removed: before.filter((name) => !after.includes(name)),
    },
  };
}

/** The notes as lines to print, and the commands to run next (`install` and `run` as the package manager spells them). */
export function describeNotes(
  notes: UpgradeNotes,
  pm: { install: string; run: string },
): { lines: string[]; next: string[] } {
  const lines: string[] = [];
  const next: string[] = [];
  if (notes.dependencies.length > 0) {
    lines.push('Dependencies:', ...notes.dependencies.map((change) => `  ${change}`));
    next.push(pm.install);
  }
  if (notes.migrations.length > 0) {
    lines.push('Migrations:', ...notes.migrations.map((file) => `  ${file}`));
    next.push(`${pm.run} db:migrate`);
  }
  const { added, removed } = notes.variables;
  if (added.length > 0 || removed.length > 0) {
    lines.push('Environment variables:');
    if (added.length > 0) lines.push(`  new: ${added.join(', ')} (see .env.example)`);
    if (removed.length > 0) lines.push(`  no longer read: ${removed.join(', ')} (drop them from .env)`);
    if (added.length > 0) next.push(`set ${added.join(', ')} in .env where the defaults do not fit`);
  }
  next.push(`${pm.run} test`);
  return { lines, next };
}
