const lineWidth = 80;

/**
 * JSON as Biome and Prettier print it: two-space indent, and an array of
 * scalars (or of such arrays) on one line when the line fits, so generated files pass `lint`.
 */
export function formatJson(value: unknown): string {
  return `${print(value, '', 0)}\n`;
}

function print(value: unknown, indent: string, prefixLength: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(inlineable)) {
      const inline = inlined(value);
      if (prefixLength + inline.length + 1 <= lineWidth) return inline;
    }
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${print(item, inner, inner.length)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const lines = entries.map(([key, item]) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      return `${head}${print(item, inner, head.length)}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A scalar, or an array of them (`[["orderId", "productId"]]`): printed on one line where it fits. */
function inlineable(value: unknown): boolean {
  return Array.isArray(value) ? value.every(inlineable) : value === null || typeof value !== 'object';
}

function inlined(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(inlined).join(', ')}]` : JSON.stringify(value);
}
