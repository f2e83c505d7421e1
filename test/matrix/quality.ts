import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { listFiles } from '../helpers.js';

/**
 * Checks of a generated project that its own typecheck, lint and tests do not make: what a
 * careful person would not have written for these options. Each returns findings, one line each;
 * none means the check passed.
 */

const codeFile = /\.(ts|js|mjs|cjs)$/;
const textFile = /\.(ts|js|mjs|cjs|json|ya?ml|md|sql|env|example|toml)$|(^|\/)(Dockerfile|\.gitignore|\.dockerignore)$/;

/** The files a project was generated with, as written (no dependencies, builds or data). */
export function projectFiles(dir: string): string[] {
  return listFiles(dir).filter(
    (file) =>
      !/^(dist|data|coverage)\//.test(file) && !/(^|\/)(package-lock\.json|pnpm-lock\.yaml|yarn\.lock)$/.test(file),
  );
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

/**
 * Handlebars left in the output: a block, comment, partial or `else` tag, or a name only the
 * generator's templates use (`has.`, `pm.`, `stack.`). Grafana's `{{route}}`, Prometheus'
 * `{{ $labels.x }}` and GitHub's `${{ matrix.node }}` are the files' own syntax, not leftovers.
 */
export function templateLeftovers(dir: string): string[] {
  const leftover = /\{\{\{?~?\s*([#/^!>]|else\b|(has|pm|stack|generatorVersion)\b)/;
  const findings: string[] = [];
  for (const file of projectFiles(dir)) {
    if (file.endsWith('.hbs')) findings.push(`${file}: a template file was copied as is`);
    if (!textFile.test(file)) continue;
    read(dir, file)
      .split('\n')
      .forEach((line, index) => {
        if (leftover.test(line)) findings.push(`${file}:${index + 1}: template syntax left: ${line.trim()}`);
      });
  }
  return findings;
}

/** Markdown headings with nothing under them before the next heading of the same or a higher level. */
function emptyMarkdownSections(file: string, text: string): string[] {
  const findings: string[] = [];
  const lines = text.split('\n');
  let fenced = false;
  let open: { level: number; line: number; title: string; body: boolean } | undefined;
  const close = () => {
    if (open && !open.body) findings.push(`${file}:${open.line}: empty section "${open.title}"`);
  };
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      if (open && level <= open.level) close();
      else if (open) open.body = true;
      open = { level, line: index + 1, title: heading[2] ?? '', body: false };
    } else if (open && line.trim() !== '') open.body = true;
  });
  close();
  return findings;
}

/**
 * Keys whose empty value is the file format's own idiom: a workflow trigger with no filter,
 * compose's named volumes and networks, Filebeat's `container` parser with its defaults.
 */
const emptyByDesign = [/^on\.\w+$/, /^(volumes|networks)\.[\w-]+$/, /\.parsers\[\d+\]\.container$/];

/** Maps and lists with nothing in them, and keys with no value, in YAML. */
function emptyYamlNodes(file: string, text: string): string[] {
  const findings: string[] = [];
  const walk = (node: unknown, where: string) => {
    if (node === null || node === undefined) {
      if (!emptyByDesign.some((pattern) => pattern.test(where))) findings.push(`${file}: ${where} has no value`);
    } else if (Array.isArray(node)) {
      if (node.length === 0) findings.push(`${file}: ${where} is an empty list`);
      node.forEach((item, index) => {
        walk(item, `${where}[${index}]`);
      });
    } else if (typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length === 0) findings.push(`${file}: ${where} is an empty map`);
      for (const [key, value] of entries) walk(value, where ? `${where}.${key}` : key);
    }
  };
  for (const document of parseAllDocuments(text)) {
    if ('errors' in document && document.errors.length > 0) {
      findings.push(`${file}: does not parse: ${document.errors[0]?.message}`);
      continue;
    }
    const value = document.toJS();
    if (value !== null) walk(value, '');
  }
  return findings;
}

/** Empty markdown sections, empty YAML maps, lists and values, empty files, runs of blank lines. */
export function emptySections(dir: string): string[] {
  const findings: string[] = [];
  for (const file of projectFiles(dir)) {
    if (!textFile.test(file)) continue;
    const text = read(dir, file);
    if (text.trim() === '' && !file.endsWith('.gitignore')) findings.push(`${file}: empty file`);
    const blankRun = /\n[ \t]*\n[ \t]*\n/.exec(text);
    if (blankRun)
      findings.push(`${file}:${text.slice(0, blankRun.index).split('\n').length + 1}: two blank lines in a row`);
    if (file.endsWith('.md')) findings.push(...emptyMarkdownSections(file, text));
    if (/\.ya?ml$/.test(file)) findings.push(...emptyYamlNodes(file, text));
  }
  return findings;
}

/** Package names a code file imports (`import … from 'pkg'`, `import('pkg/sub')`, `require('@scope/pkg')`). */
function importedPackages(text: string): string[] {
  const names: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"./][^'"]*)['"]/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    names.push(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
  }
  return names;
}

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
}

/**
 * Dependencies nothing uses. A dependency is used when a file imports it, when a script, the CI
 * workflow or the Dockerfile runs one of its commands, when it types one that is used (`@types/x`),
 * or when another dependency depends on it (listed to pin its version, as vite is for vitest).
 */
export function unusedDependencies(dir: string): string[] {
  const manifest = JSON.parse(read(dir, 'package.json')) as Manifest;
  const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  const files = projectFiles(dir);
  const imported = new Set(
    files.filter((file) => codeFile.test(file)).flatMap((file) => importedPackages(read(dir, file))),
  );
  const commands = [
    ...Object.values(manifest.scripts ?? {}),
    ...files.filter((file) => /^\.github\/|(^|\/)Dockerfile$/.test(file)).map((file) => read(dir, file)),
  ].join('\n');
  const manifestOf = (name: string): Manifest | undefined => {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
  };
  const runs = (name: string) => {
    const bin = manifestOf(name)?.bin;
    const names = bin === undefined ? [] : typeof bin === 'string' ? [name.split('/').pop() ?? name] : Object.keys(bin);
    return names.some((command) => new RegExp(`(^|[\\s;&|(])(npx\\s+)?${command}(\\s|$)`, 'm').test(commands));
  };
  const usesNode = imported.size > 0 || files.some((file) => codeFile.test(file) && read(dir, file).includes("'node:"));
  const typed = (name: string) => {
    const typedName = name.slice('@types/'.length);
    return typedName === 'node' ? usesNode : declared.includes(typedName) && imported.has(typedName);
  };
  const pinned = (name: string) =>
    declared.some((other) => {
      const dependencies = manifestOf(other) as (Manifest & { peerDependencies?: object }) | undefined;
      return (
        other !== name && (name in (dependencies?.dependencies ?? {}) || name in (dependencies?.peerDependencies ?? {}))
      );
    });
  return declared
    .filter(
      (name) => !imported.has(name) && !runs(name) && !(name.startsWith('@types/') && typed(name)) && !pinned(name),
    )
    .map((name) => `${name}: declared in package.json, but nothing imports it or runs its command`);
}

/** Files every project may have without another file naming them. */
const standalone = new Set([
  '.dockerignore',
  '.env.example',
  '.gitignore',
  'Dockerfile',
  'README.md',
  'biome.json',
  'docker-compose.yml',
  'drizzle.config.ts',
  'package.json',
  'sound-backend.json',
  'tsconfig.json',
  'vitest.config.ts',
]);

/** Resolves a relative import to a project file (`./x.js` may be `x.ts`). */
function resolveImport(from: string, specifier: string, files: Set<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|ts|mjs|cjs)$/, '');
  return [base, `${stem}.ts`, `${stem}.js`, `${stem}/index.ts`].find((candidate) => files.has(candidate));
}

/**
 * Files nothing uses. Code counts from the tests, the configs and what a script, the Dockerfile, a
 * workflow or a manifest names, through relative imports; any other file must be named (by its
 * file name) in some other file of the project.
 */
export function unusedFiles(dir: string): string[] {
  const files = projectFiles(dir);
  const known = new Set(files);
  const texts = new Map(files.filter((file) => textFile.test(file)).map((file) => [file, read(dir, file)]));
  const named = (file: string) => {
    const name = path.posix.basename(file);
    const stem = name.replace(/\.[^.]+$/, '');
    const compiled = file.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
    return [...texts].some(
      ([other, text]) =>
        other !== file &&
        (text.includes(file) ||
          text.includes(compiled) ||
          (!codeFile.test(file) && (text.includes(name) || (stem.length > 3 && text.includes(stem))))),
    );
  };
  const roots = files.filter(
    (file) =>
      standalone.has(file) ||
      file.startsWith('.github/') ||
      /\.test\.ts$|\.config\.ts$/.test(file) ||
      (codeFile.test(file) && named(file)),
  );
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    if (!codeFile.test(file)) return;
    for (const match of (texts.get(file) ?? '').matchAll(/['"](\.\.?\/[^'"]+)['"]/g)) {
      const target = resolveImport(file, match[1] ?? '', known);
      if (target !== undefined) visit(target);
    }
  };
  for (const root of roots) visit(root);
  return files
    .filter((file) => !reached.has(file) && (codeFile.test(file) || !named(file)))
    .map((file) => `${file}: nothing in the project uses it`);
}
