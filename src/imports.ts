/** Import declarations that features contribute to a shared file, merged and sorted as Biome would. */

interface ParsedImport {
  line: string;
  typeOnly: boolean;
  defaultName?: string;
  names: string[];
  from: string;
}

const importLine = /^import (type )?(?:([\w$]+)(?:, )?)?(?:\{ ([^}]*) \})? from '([^']+)';$/;

function parseImport(line: string): ParsedImport {
  const match = importLine.exec(line);
  if (match === null || (match[2] === undefined && match[3] === undefined)) {
    throw new Error(`Not an import this tool can merge: ${line}`);
  }
  const [, typeOnly, defaultName, names, from = ''] = match;
  return { line, typeOnly: typeOnly !== undefined, defaultName, names: names?.split(', ') ?? [], from };
}

/** Biome's groups: `node:` modules, then packages, then relative paths. */
const importGroup = (from: string) => (/^[a-z]+:/.test(from) ? 0 : from.startsWith('.') ? 2 : 1);
const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Named imports as Biome sorts them: by name whatever its case, `type` aside. */
const nameOrder = (a: string, b: string) => {
  const bare = (name: string) => name.replace(/^type /, '');
  return codeUnitOrder(bare(a).toLowerCase(), bare(b).toLowerCase()) || codeUnitOrder(bare(a), bare(b));
};

/**
 * Import declarations, each module's merged into one (`import a from 'm'` and
 * `import { b } from 'm'` make `import a, { b } from 'm'`), sorted by module as Biome sorts them.
 */
export function importsOf(lines: readonly string[]): string[] {
  const byModule = new Map<string, ParsedImport[]>();
  for (const line of new Set(lines)) {
    const parsed = parseImport(line);
    byModule.set(parsed.from, [...(byModule.get(parsed.from) ?? []), parsed]);
  }
  return [...byModule.entries()]
    .sort(([a], [b]) => importGroup(a) - importGroup(b) || codeUnitOrder(a, b))
    .map(([from, parts]) => {
      const [only] = parts;
      if (parts.length === 1 && only !== undefined) return only.line;
      const typeOnly = parts.every((part) => part.typeOnly);
      const defaults = [...new Set(parts.flatMap((part) => part.defaultName ?? []))];
      if (defaults.length > 1 || (typeOnly && defaults.length > 0)) {
        throw new Error(`Imports of ${from} cannot be merged: ${defaults.join(', ')}`);
      }
      const names = [
        ...new Set(
          parts.flatMap((part) =>
            part.names.map((name) => (part.typeOnly && !typeOnly && !name.startsWith('type ') ? `type ${name}` : name)),
          ),
        ),
      ].sort(nameOrder);
      const specifiers = [...defaults, ...(names.length > 0 ? [`{ ${names.join(', ')} }`] : [])].join(', ');
      const line = `import ${typeOnly ? 'type ' : ''}${specifiers} from '${from}';`;
      // Longer, the formatter would break it over lines.
      if (line.length > 100) throw new Error(`The merged import is longer than a line: ${line}`);
      return line;
    });
}
