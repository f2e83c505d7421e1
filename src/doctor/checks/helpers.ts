import { at, type Evidence } from '../findings.js';
import type { FileRole, Framework, Project, SourceFile } from '../project.js';
import type { Literal } from '../source.js';

export const appSources = (project: Project) => project.sources.filter((file) => file.role === 'app');
export const shippedSources = (project: Project) => project.sources.filter((file) => file.role !== 'test');

/** The package a module specifier names: `@fastify/cors/x` → `@fastify/cors`, `node:fs` → undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const match = /^(@[\w.-]+\/[\w.-]+|[\w.-]+)(?:\/|$)/.exec(specifier);
  return match?.[1];
}

/** Is this literal the module of an import, export-from, require() or import()? */
function isModuleSpecifier(file: SourceFile, literal: Literal): boolean {
  if (literal.kind !== 'quote') return false;
  // What comes before ends in `from`, `import` or an opening bracket: most literals fail at once.
  let last = literal.start - 1;
  while (last >= 0 && /\s/.test(file.bare[last] as string)) last--;
  const end = file.bare[last];
  if (end !== 'm' && end !== 't' && end !== '(') return false;
  const before = file.bare.slice(Math.max(0, literal.start - 12), literal.start).trimEnd();
  return /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()$/.test(before);
}

export interface ImportSite {
  file: SourceFile;
  literal: Literal;
  packageName: string;
}

const importSites = new WeakMap<Project, Map<string, ImportSite[]>>();

/** Every import of a package in the files of the given roles, found once per project and roles. */
export function importsIn(project: Project, roles: FileRole[] = ['app']): ImportSite[] {
  const byRoles = importSites.get(project) ?? new Map<string, ImportSite[]>();
  importSites.set(project, byRoles);
  const key = roles.join();
  let sites = byRoles.get(key);
  if (sites === undefined) {
    sites = findImports(project, roles);
    byRoles.set(key, sites);
  }
  return sites;
}

function findImports(project: Project, roles: FileRole[]): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const file of project.sources) {
    if (!roles.includes(file.role)) continue;
    for (const literal of file.literals) {
      if (!isModuleSpecifier(file, literal)) continue;
      const packageName = packageOf(literal.value);
      if (packageName !== undefined) sites.push({ file, literal, packageName });
      // Subpath imports of one package that stand for a feature (hono/cors): keep the full path too.
      if (packageName !== undefined && literal.value !== packageName) {
        sites.push({ file, literal, packageName: literal.value });
      }
    }
  }
  return sites;
}

/** The first import, in app code, of any of these packages. */
export function firstImport(project: Project, packages: readonly string[]): ImportSite | undefined {
  return importsIn(project).find((site) => packages.includes(site.packageName));
}

/** The local name a file gives to a package's default export (`import cors from 'cors'`, `const cors = require('cors')`). */
export function localNameOf(file: SourceFile, packageName: string): string | undefined {
  const quoted = `['"]${packageName.replace(/[/.]/g, '\\$&')}['"]`;
  const esm = new RegExp(`import\\s+([\\w$]+)(?:\\s*,\\s*\\{[^}]*\\})?\\s+from\\s+${quoted}`).exec(file.code);
  if (esm) return esm[1];
  const cjs = new RegExp(`(?:const|let|var)\\s+([\\w$]+)\\s*=\\s*require\\(\\s*${quoted}\\s*\\)`).exec(file.code);
  return cjs?.[1];
}

export interface Match {
  file: SourceFile;
  index: number;
  text: string;
}

/** Matches of a pattern in each file: on `bare` (code only) or `code` (strings kept). */
export function matchAll(files: SourceFile[], pattern: RegExp, on: 'bare' | 'code' = 'bare'): Match[] {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const global = new RegExp(pattern.source, flags);
  const found: Match[] = [];
  for (const file of files) {
    for (const match of file[on].matchAll(global)) found.push({ file, index: match.index, text: match[0] });
  }
  return found;
}

/** The first match of a pattern, file by file: for checks that ask only whether it occurs. */
export function firstMatch(files: SourceFile[], pattern: RegExp, on: 'bare' | 'code' = 'bare'): Match | undefined {
  const once = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  for (const file of files) {
    const match = once.exec(file[on]);
    if (match) return { file, index: match.index, text: match[0] };
  }
  return undefined;
}

/** Evidence for at most `limit` matches, and a count of the rest. */
export function evidenceOf(matches: Match[], detail: (match: Match) => string, limit = 10): Evidence[] {
  const shown = matches.slice(0, limit).map((match) => at(match.file, match.index, detail(match)));
  if (matches.length > limit) shown.push({ detail: `and ${matches.length - limit} more` });
  return shown;
}

/** A string literal somewhere in the shipped code whose value passes the test. */
export function someLiteral(project: Project, test: (value: string) => boolean): boolean {
  return shippedSources(project).some((file) => file.literals.some((literal) => test(literal.value)));
}

/** Text per framework, with a general fallback. */
export function forFramework(project: Project, texts: Partial<Record<Framework, string>> & { other: string }): string {
  return (project.framework !== undefined ? texts[project.framework] : undefined) ?? texts.other;
}
