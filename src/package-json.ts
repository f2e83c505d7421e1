import type { Feature } from '../generators/feature.js';
import { type DependencyName, dependencyVersions } from '../generators/versions.js';
import type { PackageManager } from './catalogue.js';

/**
 * The Node a generated project runs on: the Active LTS its image and CI use, and the oldest
 * release its `engines` allows (the tool itself runs on older ones).
 */
export const projectNode = { current: 24, oldest: '22.12' } as const;

/** Whether a Node version (`20.19.0`) is older than the oldest one a project supports. */
export function olderThanProjectNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [oldestMajor = 0, oldestMinor = 0] = projectNode.oldest.split('.').map(Number);
  return major < oldestMajor || (major === oldestMajor && minor < oldestMinor);
}

/** The pinned version of each dependency named (generators/versions.ts), by name. */
function versionsOf(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    [...new Set(names)].sort().map((name) => {
      const version = dependencyVersions[name as DependencyName];
      if (version === undefined) throw new Error(`No version pinned for ${name} in generators/versions.ts`);
      return [name, version];
    }),
  );
}

/** A feature's dependencies, with those it needs beside the other features rendered. */
function dependenciesOf(feature: Feature, rendered: ReadonlySet<string>): string[] {
  const beside = Object.entries(feature.dependenciesWith ?? {}).filter(([id]) => rendered.has(id));
  return [...(feature.dependencies ?? []), ...beside.flatMap(([, names]) => names)];
}

/** The generated package.json: scripts and dependencies gathered from every feature. */
export function packageJsonFor(
  name: string,
  pm: PackageManager,
  features: Feature[],
  extraScripts: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const rendered = new Set(features.map((feature) => feature.id));
  const native = [...new Set(features.flatMap((feature) => feature.buildsNative ?? []))].sort();
  const pkg: Record<string, unknown> = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: `>=${projectNode.oldest}` },
    scripts: Object.assign({}, ...features.map((feature) => feature.scripts ?? {}), extraScripts),
    dependencies: versionsOf(features.flatMap((feature) => dependenciesOf(feature, rendered))),
    devDependencies: versionsOf(features.flatMap((feature) => feature.devDependencies ?? [])),
  };
  // Package managers now skip dependencies' install scripts unless the project allows them.
  if (native.length > 0) {
    if (pm === 'npm') pkg.allowScripts = Object.fromEntries(native.map((dep) => [dep, true]));
    if (pm === 'pnpm') pkg.pnpm = { onlyBuiltDependencies: native };
    if (pm === 'bun') pkg.trustedDependencies = native;
  }
  return pkg;
}
