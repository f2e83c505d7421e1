import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { File } from '@babel/types';
import { type TreeFacts, treeFacts } from './facts.js';
import { detectRuntime } from './runtime.js';
import { lineCounter, type ScannedSource, scanSource } from './source.js';

/** What a file is for: checks about request handling look at `app` files only. */
export type FileRole = 'app' | 'test' | 'script';

/** A source file as read: its text, the scanner's readings of it, and what it is for. */
export interface SourceText extends ScannedSource {
  /** Relative to the project, with `/` separators. */
  path: string;
  text: string;
  role: FileRole;
  lineOf(index: number): number;
}

/** A source file with its syntax tree (@babel/parser): what the tree checks of facts.ts read. */
export interface ParsedSource extends SourceText {
  tree: File;
}

/**
 * A source file as the checks see it: its code and what its tree showed. Neither the tree nor the
 * raw text is kept (line numbers come from `code`, which keeps every newline).
 */
export interface SourceFile extends Omit<SourceText, 'text'> {
  facts: TreeFacts;
}

/** A file doctor did not read, and why: checks must not call something missing that may be in it. */
export interface UnreadFile {
  path: string;
  why: 'size' | 'count' | 'syntax';
}

/** How much doctor reads at most, so that a huge repository cannot make it slow (flags of the command). */
export interface ReadLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export const defaultLimits: ReadLimits = { maxFiles: 5000, maxFileBytes: 2 * 1024 * 1024 };

export interface TextFile {
  path: string;
  text: string;
}

export type Framework = 'fastify' | 'express' | 'nestjs' | 'koa' | 'hono';

/** Where the code runs: a Node process of its own, or a platform that owns the process. */
export type Runtime = 'node' | 'workers' | 'deno' | 'bun';

export const runtimeNames: Record<Runtime, string> = {
  node: 'Node.js',
  workers: 'Cloudflare Workers',
  deno: 'Deno',
  bun: 'Bun',
};

export interface Project {
  root: string;
  packageJson: Record<string, unknown>;
  /** `dependencies` only: what runs in production. */
  dependencies: Record<string, string>;
  /** `dependencies` and `devDependencies`. */
  allDependencies: Record<string, string>;
  framework: Framework | undefined;
  /** See runtime.ts: a wrangler config, a deno.json, Bun.serve or a start script run by bun. */
  runtime: Runtime;
  /** The generator's manifest when create-sound-backend made this project. */
  generated: { generatorVersion: string } | undefined;
  /** Every file in the folder, relative, sorted (dependencies, builds and VCS folders skipped), read or not. */
  files: string[];
  sources: SourceFile[];
  /** Files skipped for their size or their number, or that did not parse. */
  unread: UnreadFile[];
  /** SQL, Prisma schemas, Dockerfiles, YAML and the like, read as text. */
  texts: TextFile[];
  /** Files git tracks, or undefined outside a git work tree. */
  tracked: Set<string> | undefined;
  /** Peer dependencies of the installed dependencies: needed, though nothing imports them. */
  peers: Set<string>;
}

const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.tmp',
  'tmp',
  'vendor',
  // Browser assets of server-rendered apps: not server code.
  'public',
  'static',
]);
const SOURCE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TEXT_FILES =
  /(?:\.(?:sql|prisma|ya?ml|json|jade|pug|ejs|hbs|toml)|(?:^|\/)(?:Dockerfile[^/]*|[^/]*\.Dockerfile|\.gitignore|\.env[^/]*))$/;

export const FRAMEWORK_PACKAGES: Record<Framework, string> = {
  nestjs: '@nestjs/core',
  fastify: 'fastify',
  express: 'express',
  koa: 'koa',
  hono: 'hono',
};

function roleOf(file: string): FileRole {
  const parts = file.split('/');
  const name = parts.at(-1) ?? '';
  if (
    parts.some((part) => ['test', 'tests', '__tests__', 'spec', 'e2e', 'fixtures', '__mocks__'].includes(part)) ||
    /\.(?:test|spec|e2e-spec)\.[cm]?[jt]sx?$/.test(name)
  ) {
    return 'test';
  }
  if (
    ['scripts', 'script', 'tools', 'migrations', 'seeds'].includes(parts[0] ?? '') ||
    /\.config\.[cm]?[jt]s$/.test(name) ||
    /^(?:knexfile|drizzle\.config|jest\.config|vitest\.config|eslint\.config)/.test(name)
  ) {
    return 'script';
  }
  return 'app';
}

/** Every file under the root (skipped folders aside), sorted: names are cheap, reading is what the limits bound. */
function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(relative);
      } else if (entry.isFile()) {
        found.push(relative);
      }
    }
  };
  walk('');
  return found;
}

const depthOf = (file: string) => file.split('/').length;

/** The files doctor would read, shallowest first (package.json, config, then src/…), so a cap drops the deepest. */
function readOrder(files: string[]): string[] {
  return files
    .filter((file) => SOURCE_EXTENSIONS.test(file) || TEXT_FILES.test(file) || /^bin\/[^.]+$/.test(file))
    .sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The file's text, or 'size' when it is over the limit (undefined when it cannot be read at all). */
function readText(root: string, file: string, maxBytes: number): string | 'size' | undefined {
  const full = path.join(root, file);
  try {
    if (statSync(full).size > maxBytes) return 'size';
    return readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
}

/** A script without an extension (express-generator's bin/www) counts when it starts with a node shebang. */
function isNodeScript(text: string): boolean {
  return /^#!.*\bnode\b/.test(text);
}

function gitTracked(root: string): Set<string> | undefined {
  if (!existsSync(path.join(root, '.git'))) return undefined;
  try {
    const output = execFileSync('git', ['ls-files', '-z'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return new Set(output.split('\0').filter(Boolean));
  } catch {
    return undefined;
  }
}

/** Read from node_modules when it is there; an uninstalled project simply has none. */
function installedPeers(root: string, dependencies: string[]): Set<string> {
  const peers = new Set<string>();
  for (const name of dependencies) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        peerDependencies?: Record<string, string>;
      };
      for (const peer of Object.keys(manifest.peerDependencies ?? {})) peers.add(peer);
    } catch {
      // Not installed: nothing to learn.
    }
  }
  return peers;
}

function record(value: unknown): Record<string, string> {
  return value !== null && typeof value === 'object' ? (value as Record<string, string>) : {};
}

/** The parsed package.json, or an error that says what it holds instead of an object. */
function manifestObject(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  throw new Error(`it holds ${what}, not a JSON object`);
}

/** Reads the project once: every check works on this, none touches the disk again. */
export function readProject(
  root: string,
  limits: ReadLimits = defaultLimits,
  options: { parseAll?: boolean } = {},
): Project {
  const packageJson = manifestObject(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const dependencies = record(packageJson.dependencies);
  const allDependencies = { ...record(packageJson.devDependencies), ...dependencies };
  const framework = (Object.keys(FRAMEWORK_PACKAGES) as Framework[]).find(
    (name) => FRAMEWORK_PACKAGES[name] in dependencies,
  );

  const files = listFiles(root);
  const toRead = readOrder(files);
  const unread: UnreadFile[] = toRead.slice(limits.maxFiles).map((file) => ({ path: file, why: 'count' }));
  const reading = toRead.slice(0, limits.maxFiles).flatMap((file) => {
    const bin = file.startsWith('bin/') && !file.includes('.', 4);
    const source = SOURCE_EXTENSIONS.test(file) && !file.endsWith('.d.ts');
    return source || bin || TEXT_FILES.test(file) ? [{ file, bin, source }] : [];
  });
  // Configuration and templates first: the tree checks of a source file may look at them.
  const texts: TextFile[] = [];
  const sourcesToRead: { file: string; bin: boolean }[] = [];
  for (const { file, bin, source } of reading) {
    if (source || bin) {
      sourcesToRead.push({ file, bin });
      continue;
    }
    const text = readText(root, file, limits.maxFileBytes);
    if (text === 'size') unread.push({ path: file, why: 'size' });
    else if (text !== undefined) texts.push({ path: file, text });
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  texts.sort(byPath);
  // Then one source file at a time: read, scanned, its tree checks run, and its text and tree
  // dropped before the next (keeping them all made most of the run garbage collection).
  const sources: SourceFile[] = [];
  for (const { file, bin } of sourcesToRead) {
    const text = readText(root, file, limits.maxFileBytes);
    if (text === 'size') unread.push({ path: file, why: 'size' });
    if (text === undefined || text === 'size') continue;
    if (!bin || isNodeScript(text)) {
      const scanned = scanSource(text);
      const role = bin ? 'app' : roleOf(file);
      const read: SourceText = { path: file, text, role, lineOf: lineCounter(scanned.code), ...scanned };
      const facts = treeFacts(read, { texts, framework, parseAll: options.parseAll });
      if (facts === undefined) unread.push({ path: file, why: 'syntax' });
      else sources.push({ path: file, role, lineOf: read.lineOf, ...scanned, facts });
    }
  }
  // Listed in the order they would have been read, after those past --max-files.
  const position = new Map(toRead.map((file, index) => [file, index]));
  const counted = unread.filter((file) => file.why === 'count');
  const skipped = unread.filter((file) => file.why !== 'count');
  skipped.sort((a, b) => (position.get(a.path) ?? 0) - (position.get(b.path) ?? 0));
  unread.splice(0, unread.length, ...counted, ...skipped);
  sources.sort(byPath);

  let generated: Project['generated'];
  const manifest = texts.find((file) => file.path === 'sound-backend.json');
  if (manifest !== undefined) {
    try {
      const parsed = JSON.parse(manifest.text) as { generator?: unknown; version?: unknown };
      if (parsed.generator === 'create-sound-backend' && typeof parsed.version === 'string') {
        generated = { generatorVersion: parsed.version };
      }
    } catch {
      // Not our manifest after all: audit it as any other project.
    }
  }

  return {
    root,
    packageJson,
    dependencies,
    allDependencies,
    framework,
    runtime: detectRuntime(files, sources, packageJson),
    generated,
    files,
    sources,
    unread,
    texts,
    tracked: gitTracked(root),
    peers: installedPeers(root, Object.keys(dependencies)),
  };
}
