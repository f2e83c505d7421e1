import path from 'node:path';
import { composeFile } from '../../generators/compose.js';
import { manifestFile, type ResourceRecord } from '../plan.js';
import { resourceNames } from '../resource.js';

/**
 * Whether `extract <module>` may go ahead, decided from what was read of the project: pure, so
 * every reason is tested without a disk. Each reason is one line; all of them are given at once.
 *
 * What counts as a direct import of the module: any `import`/`export … from` of a file under
 * `src/modules/<module>/` from elsewhere in `src/`, and any import of its table from
 * `src/db/schema.ts`. A reference (`customer:references`) counts too: the referencing module's
 * generated code joins the target's table, checks the row is visible, and embeds its schema
 * (`?include=customer`), none of which an HTTP call could do inside one transaction. So a module
 * other modules reference stays in the monolith until those references are gone.
 */

/** The monolith's default port: the service may not take it. */
export const monolithPort = 3000;
export const defaultServicePort = 3001;

export interface ExtractSituation {
  /** The project folder, as the messages name it. */
  root: string;
  /** The module named on the command line; undefined when none was. */
  module: string | undefined;
  /** The resources the manifest records; undefined when the project has no manifest. */
  resources: readonly ResourceRecord[] | undefined;
  /** `src/**` files of the project, by path relative to the root, with their text. */
  sources: ReadonlyMap<string, string>;
  /** The service's folder: absolute, and what is in it (undefined when it does not exist; null when it is a file). */
  target: { path: string; entries: readonly string[] | undefined | null };
  port: number;
  /** Host ports the monolith's compose file publishes (Grafana's 3001, where it has one). */
  publishedPorts: readonly number[];
}

/** The host ports of a compose file's `ports:` entries (`"127.0.0.1:3001:3000"` publishes 3001). */
export function publishedPortsOf(compose: string): number[] {
  const ports = [...compose.matchAll(/^\s*ports:\s*\[([^\]]*)\]/gm)].flatMap((match) =>
    [...(match[1] ?? '').matchAll(/"([^"]+)"/g)].map((entry) => {
      const parts = (entry[1] ?? '').split(':');
      return Number(parts.length > 1 ? parts.at(-2) : parts[0]);
    }),
  );
  return [...new Set(ports.filter((port) => Number.isInteger(port)))].sort((a, b) => a - b);
}

/** The service's port when none is given: the first from 3001 up that the monolith does not take. */
export function defaultPortOf(published: readonly number[]): number {
  let port = defaultServicePort;
  while (port === monolithPort || published.includes(port)) port++;
  return port;
}

/** One import of the module from outside it: where, and what. */
export interface ModuleImport {
  file: string;
  line: number;
  /** The import statement's specifier, and for the schema file the names imported. */
  what: string;
}

const importPattern =
  /(?:^|\n)[ \t]*(?:import|export)\s+(?:type\s+)?(?:([\w*\s{},$]*?)\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Where `src/<file>` imports a file of `src/modules/<module>/` or the module's table, in source order. */
export function importsOfModule(module: string, sources: ReadonlyMap<string, string>): ModuleImport[] {
  const folder = `src/modules/${module}/`;
  const table = resourceNames(module).camel;
  const found: ModuleImport[] = [];
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // The module itself, the list that registers every module (extract rewrites it), and the
    // table declarations (a reference there is read from the manifest, where it is recorded).
    if (file.startsWith(folder) || file === 'src/modules/index.ts' || file === 'src/db/schema.ts') continue;
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[2] ?? match[3] ?? '';
      if (!specifier.startsWith('.')) continue;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const line = text.slice(0, (match.index ?? 0) + (match[0].startsWith('\n') ? 1 : 0)).split('\n').length;
      if (resolved.startsWith(folder)) {
        found.push({ file, line, what: `'${specifier}'` });
      } else if (resolved.replace(/\.[jt]s$/, '') === 'src/db/schema') {
        const names = (match[1] ?? '')
          .replace(/[{}]/g, '')
          .split(',')
          .map((name) =>
            name
              .trim()
              .split(/\s+as\s+/)[0]
              ?.replace(/^type\s+/, ''),
          );
        if (names.includes(table)) found.push({ file, line, what: `the table ${table} from '${specifier}'` });
      }
    }
  }
  return found;
}

/** The resources whose recorded fields reference the module, with the field that does. */
export function referencesTo(module: string, resources: readonly ResourceRecord[]): string[] {
  return resources.flatMap((resource) =>
    resource.name === module
      ? []
      : (resource.fields ?? [])
          .filter((field) => field.type === 'references' && field.references === module)
          .map((field) => `${resource.name}.${field.name}`),
  );
}

/** Every reason `extract` refuses, one line each; none means it may go ahead. */
export function extractRefusals(situation: ExtractSituation): string[] {
  const { root, module, resources, sources, target, port, publishedPorts } = situation;
  const reasons: string[] = [];
  if (module === undefined) {
    reasons.push('Expected a module: extract <module>, e.g. extract orders (a resource added with add resource).');
  }
  if (resources === undefined) {
    reasons.push(
      `${root} has no ${manifestFile}: extract runs inside a project create-sound-backend generated (or pass --cwd <dir>).`,
    );
  } else if (module !== undefined) {
    const names = resources.map((resource) => resource.name);
    if (module === 'items') {
      reasons.push(
        'items is the example module every generated project renders: extract takes a resource added with add resource' +
          (names.length > 0 ? ` (${names.join(', ')}).` : ', and this project has none.'),
      );
    } else if (!names.includes(module)) {
      reasons.push(
        `Unknown module "${module}": extract takes a resource added with add resource` +
          (names.length > 0 ? ` (${names.join(', ')}).` : ', and this project has none.'),
      );
    } else if (resources.find((resource) => resource.name === module)?.remote !== undefined) {
      reasons.push(`${module} was extracted already: the project calls its service (src/modules/${module}/routes.ts).`);
    } else {
      for (const reference of referencesTo(module, resources)) {
        const [owner] = reference.split('.');
        reasons.push(
          `${reference} references ${module}: the code of ${owner} joins the ${module} table and embeds its rows, so ${module} stays while ${owner} references it.`,
        );
      }
      for (const found of importsOfModule(module, sources)) {
        reasons.push(`${found.file}:${found.line} imports ${found.what}, which would leave with ${module}.`);
      }
    }
  }
  if (target.entries === null) {
    reasons.push(`--to ${target.path} is a file: the service needs an empty or new folder.`);
  } else if (target.entries !== undefined && target.entries.length > 0) {
    reasons.push(
      `--to ${target.path} is not empty (${target.entries.length} entr${target.entries.length === 1 ? 'y' : 'ies'}): the service needs an empty or new folder.`,
    );
  }
  const relative = path.relative(root, target.path);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    reasons.push(`--to ${target.path} is inside the project: the service is a project of its own, beside it.`);
  }
  if (port === monolithPort) {
    reasons.push(
      `--port ${port} is the monolith's port: give the service another one, like ${defaultPortOf(publishedPorts)}.`,
    );
  } else if (publishedPorts.includes(port)) {
    reasons.push(
      `--port ${port} is published by the monolith's ${composeFile}: give the service another one, like ${defaultPortOf(publishedPorts)}.`,
    );
  }
  return reasons;
}
