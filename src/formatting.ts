/**
 * Code printed as Biome prints it (the generated project's formatter, line width 100), for the
 * lines whose length depends on names and fields no template shows.
 */

/** The project's width: the line a chain or list breaks at when longer, as its formatter does. */
export const lineWidth = 100;

/** A call of a chain: its text, or its method and arguments where a line may break between them. */
export type ChainCall = string | { method: string; args: readonly string[] };

const callText = (call: ChainCall) => (typeof call === 'string' ? call : `${call.method}(${call.args.join(', ')})`);

/** `key: head.a().b()`, on one line where it fits and, as Biome prints it, broken into one call a line where not. */
export function chain(indent: string, key: string, head: string, calls: readonly ChainCall[]): string {
  const texts = calls.map(callText);
  const oneLine = `${indent}${key}: ${head}${texts.join('')},`;
  // Biome (as Prettier) breaks a chain of three calls or more when one takes a function.
  const breaks = calls.length >= 2 && texts.some((call) => call.includes('=>'));
  if (!breaks && oneLine.length <= lineWidth) return oneLine;
  // A single call stays on the head's line, and its arguments break instead: a last argument
  // that is an object (of plain entries) hugs the call where the line up to its brace fits.
  const [only] = calls;
  if (calls.length === 1 && only !== undefined && typeof only !== 'string') {
    const start = `${indent}${key}: ${head}${only.method}(`;
    const last = only.args.at(-1) ?? '';
    if (/^\{ [^{}]* \}$/.test(last)) {
      const hugged = `${start}${[...only.args.slice(0, -1), '{'].join(', ')}`;
      const entries = last.slice(2, -2).split(', ');
      if (hugged.length <= lineWidth) {
        return [hugged, ...entries.map((entry) => `${indent}  ${entry},`), `${indent}}),`].join('\n');
      }
    }
    return [start, ...only.args.map((arg) => `${indent}  ${arg},`), `${indent}),`].join('\n');
  }
  return [`${indent}${key}: ${head}`, ...texts.map((call) => `${indent}  ${call}`)].join('\n').concat(',');
}

/** `head({ a, b })` on one line where it fits at `indent`, else one entry a line, as Biome prints it. */
export function objectCall(indent: string, prefix: string, entries: readonly string[], suffix: string): string {
  if (entries.length === 0) return `${indent}${prefix}{}${suffix}`;
  const oneLine = `${indent}${prefix}{ ${entries.join(', ')} }${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${prefix}{`, ...entries.map((entry) => `${indent}  ${entry},`), `${indent}}${suffix}`].join('\n');
}

/** `fn(a, b)` on one line where it fits at `indent`, else one argument a line. */
export function callArgs(indent: string, prefix: string, args: readonly string[], suffix: string): string {
  const oneLine = `${indent}${prefix}(${args.join(', ')})${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${prefix}(`, ...args.map((arg) => `${indent}  ${arg},`), `${indent})${suffix}`].join('\n');
}

/** `[a, b]` on one line where it fits at `indent`, else one element a line. */
export function arrayLiteral(indent: string, prefix: string, elements: readonly string[], suffix: string): string {
  const oneLine = `${indent}${prefix}[${elements.join(', ')}]${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  const lines = elements.map((element) => `${indent}  ${element},`);
  return [`${indent}${prefix}[`, ...lines, `${indent}]${suffix}`].join('\n');
}

/** `const [found] = await db.select(…).from(…).where(…);`, one call a line where it does not fit. */
export function queryChain(indent: string, head: string, calls: readonly string[]): string {
  const oneLine = `${indent}${head}${calls.join('')};`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${head}`, ...calls.map((call, i) => `${indent}  ${call}${i === calls.length - 1 ? ';' : ''}`)].join(
    '\n',
  );
}

/** Prose as comment lines at `prefix` (`  // `), wrapped at the project's width. */
export function commentLines(prefix: string, text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && `${prefix}${line} ${word}`.length > lineWidth) {
      lines.push(`${prefix}${line}`);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(`${prefix}${line}`);
  return lines.join('\n');
}

export const capitalise = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
export const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** A value as TypeScript: a quoted string, a number, a boolean. */
export const literal = (value: string | number | boolean) => (typeof value === 'string' ? quote(value) : String(value));
/** `a, b and c`. */
export const joinWords = (words: readonly string[]) =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
