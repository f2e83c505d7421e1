/**
 * A small YAML writer for the plain data of generated files (compose services,
 * cluster manifests' data): mappings in block style, lists of scalars in flow style, and
 * every string that YAML could read as something else in JSON quotes, which are
 * valid YAML double-quoted scalars.
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

// The line width of the generated projects' Biome configuration, which formats YAML too.
const lineWidth = 100;

const keywords = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain =
    (/^[A-Za-z/][\w./:@-]*$/.test(value) || /^\d+[a-z]+$/.test(value) || value === '.') && !keywords.test(value);
  return plain && !value.endsWith(':') ? value : JSON.stringify(value);
}

const key = (name: string) => (/^[A-Za-z_][\w.-]*$/.test(name) ? name : JSON.stringify(name));

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The lines of one mapping, indented by `depth` levels of two spaces. */
export function toYaml(map: { readonly [key: string]: YamlValue }, depth = 0): string {
  const pad = '  '.repeat(depth);
  return Object.entries(map)
    .map(([name, value]) => {
      if (value === null) return `${pad}${key(name)}:\n`;
      if (isScalar(value)) return `${pad}${key(name)}: ${scalar(value)}\n`;
      if (Array.isArray(value)) {
        if (!value.every(isScalar)) throw new Error(`${name}: only lists of scalars are supported`);
        const items = value.map((item) => JSON.stringify(item));
        const line = `${pad}${key(name)}: [${items.join(', ')}]`;
        if (line.length <= lineWidth) return `${line}\n`;
        // Too long for one line: one item a line, as Biome's YAML formatter writes it.
        const inner = `${pad}    `;
        return `${pad}${key(name)}:\n${pad}  [\n${items.map((item) => `${inner}${item},\n`).join('')}${pad}  ]\n`;
      }
      const entries = value as { readonly [key: string]: YamlValue };
      if (Object.keys(entries).length === 0) return `${pad}${key(name)}: {}\n`;
      return `${pad}${key(name)}:\n${toYaml(entries, depth + 1)}`;
    })
    .join('');
}
