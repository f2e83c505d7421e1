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

/** The import declarations a file starts with, one line each however they were wrapped; the lines they took. */
export interface ImportBlock {
  statements: string[];
  lines: number;
}

/**
 * Reads the declarations at the top of a file, up to the first line that belongs to none;
 * undefined when the file starts with something else (a comment the user put first), or when
 * one of them is not a plain `import … from '…';` (a comment among them, `* as`, a side effect).
 */
export function importBlockOf(lines: readonly string[]): ImportBlock | undefined {
  const statements: string[] = [];
  let at = 0;
  while (lines[at]?.startsWith('import ')) {
    const start = at;
    while (at < lines.length && !lines[at]?.endsWith(';')) at++;
    const flat = lines
      .slice(start, at + 1)
      .join(' ')
      .replace(/\s+/g, ' ')
      .replace(/\{ ?/, '{ ')
      .replace(/,? ?\}/, ' }');
    at++;
    if (flat.includes('//') || flat.includes('/*') || !importLine.test(flat)) return undefined;
    statements.push(flat);
  }
  return statements.length === 0 ? undefined : { statements, lines: at };
}

/** A declaration as Biome formats it: on one line when it fits in `width`, else one name a line. */
function formatImport(
  typeOnly: boolean,
  defaultName: string | undefined,
  names: string[],
  from: string,
  width: number,
) {
  const type = typeOnly ? 'type ' : '';
  const start = `import ${type}${defaultName === undefined ? '' : `${defaultName}${names.length > 0 ? ', ' : ''}`}`;
  const line = `${start}${names.length > 0 ? `{ ${names.join(', ')} }` : ''} from '${from}';`;
  if (line.length <= width || names.length === 0) return [line];
  return [`${start}{`, ...names.map((name) => `  ${name},`), `} from '${from}';`];
}

/**
 * Three-way merge of two edits of the same import declarations, name by name: a name stays when
 * both sides kept it, goes when either removed it, and comes in when either added it; a module
 * left with no name goes. So a user's `integer` added to a list the generator shortens merges,
 * where the lines would overlap. Sorted and wrapped as Biome does; undefined when two default
 * names of one module disagree.
 */
export function mergeImportBlocks(yours: ImportBlock, base: ImportBlock, theirs: ImportBlock, width = 100) {
  type Names = Map<string, Set<string>>;
  const namesOf = (block: ImportBlock): Names => {
    const byKey: Names = new Map();
    for (const statement of block.statements) {
      const parsed = parseImport(statement);
      const key = `${parsed.typeOnly ? 'type ' : ''}${parsed.from}`;
      const names = byKey.get(key) ?? new Set<string>();
      if (parsed.defaultName !== undefined) names.add(`default ${parsed.defaultName}`);
      for (const name of parsed.names) names.add(name);
      byKey.set(key, names);
    }
    return byKey;
  };
  const [mine, was, their] = [namesOf(yours), namesOf(base), namesOf(theirs)];
  const keys = [...new Set([...their.keys(), ...mine.keys()])];
  const out: { typeOnly: boolean; from: string; lines: string[] }[] = [];
  for (const key of keys) {
    const [y, b, t] = [mine, was, their].map((side) => side.get(key) ?? new Set<string>()) as [
      Set<string>,
      Set<string>,
      Set<string>,
    ];
    const kept = [...new Set([...t, ...y])].filter((name) => !b.has(name) || (y.has(name) && t.has(name)));
    if (kept.length === 0) continue;
    const defaults = kept.filter((name) => name.startsWith('default ')).map((name) => name.slice('default '.length));
    if (defaults.length > 1) return undefined;
    const typeOnly = key.startsWith('type ');
    const from = typeOnly ? key.slice('type '.length) : key;
    const names = kept.filter((name) => !name.startsWith('default ')).sort(nameOrder);
    out.push({ typeOnly, from, lines: formatImport(typeOnly, defaults[0], names, from, width) });
  }
  out.sort(
    (a, b) =>
      importGroup(a.from) - importGroup(b.from) ||
      codeUnitOrder(a.from, b.from) ||
      Number(a.typeOnly) - Number(b.typeOnly),
  );
  return out.flatMap((each) => each.lines);
}
