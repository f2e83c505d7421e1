/** A string, template or regex literal found in JavaScript or TypeScript source. */
export interface Literal {
  start: number;
  /** Index just past the closing delimiter. */
  end: number;
  kind: 'quote' | 'template' | 'regex';
  /** The text between the delimiters, escapes as written; each `${…}` of a template shows as `…`. */
  value: string;
  /** A template with `${…}`: its text is built from values at run time. */
  interpolated: boolean;
  /** A tagged template (sql`…`): the tag decides what the values become. */
  tagged: boolean;
}

/** One source file read three ways, all of the same length so that indexes agree. */
export interface ScannedSource {
  /** Comments blanked out (newlines kept). */
  code: string;
  /** Comments and the contents of every literal blanked out: only code is left to match. */
  bare: string;
  literals: Literal[];
  /**
   * Every (, [ and { of the code is closed, in order of count and never before it opens: false for
   * text that is plainly not code, which doctor then parses to find out (see facts.ts).
   */
  balanced: boolean;
}

const REGEX_AFTER = new Set([...'(,=:[!&|?{};+-*%<>~^']);
/** 1 for the characters the scanner stops at: / " ' ` ( ) [ ] { } (codes under 128). */
const SPECIAL = new Uint8Array(128);
for (const c of '/"\'`()[]{}') SPECIAL[c.charCodeAt(0)] = 1;
/** The spaces above ASCII that String.prototype.trim removes. */
const WIDE_SPACES = new Set([
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
  0x202f, 0x205f, 0x3000, 0xfeff,
]);
const isSpace = (unit: number) => unit === 32 || (unit >= 9 && unit <= 13) || (unit >= 128 && WIDE_SPACES.has(unit));
const REGEX_AFTER_WORDS = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * Splits JavaScript or TypeScript into code, comments and literals without parsing it.
 * A slash starts a regex literal where an expression may begin (the usual heuristic);
 * that is the one guess it makes, and it is right for code that a formatter accepts.
 */
export function scanSource(text: string): ScannedSource {
  // The ranges to blank, in text order, applied once at the end: no array of one-character strings.
  const code: number[] = [];
  const bare: number[] = [];
  const literals: Literal[] = [];
  const blank = (target: number[], from: number, to: number) => {
    if (from < to) target.push(from, to);
  };
  // Each open template expression (`${`) remembers its brace depth and its template's literal.
  const templates: { depth: number; literal: Literal }[] = [];
  let depth = 0;
  let i = 0;
  let lastSignificant = -1;
  // Round and square brackets of the code (braces are `depth`), and whether a count ever went below 0.
  let rounds = 0;
  let squares = 0;
  let underflow = false;

  const readTemplate = (start: number, literal: Literal): number => {
    // From just after ` or }, up to and including the closing ` or the ${ that opens an expression.
    let j = start;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '`') {
        literal.value += text.slice(start, j);
        literal.end = j + 1;
        blank(bare, start, j);
        return j + 1;
      }
      if (c === '$' && text[j + 1] === '{') {
        literal.value += `${text.slice(start, j)}…`;
        literal.interpolated = true;
        blank(bare, start, j);
        templates.push({ depth, literal });
        depth++;
        return j + 2;
      }
      j++;
    }
    blank(bare, start, text.length);
    return text.length;
  };

  const length = text.length;
  while (i < length) {
    const unit = text.charCodeAt(i);
    // Most characters are none of / " ' ` ( ) [ ] { }: remember the last one that is not a space, and go on.
    if (unit >= 128 || SPECIAL[unit] === 0) {
      if (!isSpace(unit)) lastSignificant = i;
      i++;
      continue;
    }
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(code, i, stop);
      blank(bare, i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(code, i, stop);
      blank(bare, i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      literals.push({
        start: i,
        end: j + 1,
        kind: 'quote',
        value: text.slice(i + 1, j),
        interpolated: false,
        tagged: false,
      });
      blank(bare, i + 1, j);
      lastSignificant = j;
      i = j + 1;
      continue;
    }
    if (c === '`') {
      // The last few characters of code before the backtick: enough for the tests below, without
      // copying everything before it (that was quadratic in files with many templates).
      let last = i - 1;
      while (last >= 0 && /\s/.test(text[last] as string)) last--;
      const before = text.slice(Math.max(0, last + 1 - 7), last + 1);
      const literal: Literal = {
        start: i,
        end: i + 1,
        kind: 'template',
        value: '',
        interpolated: false,
        tagged: /[\w$)\]]$/.test(before) && !/(?:^|[^\w$])(?:return|case|typeof|await|yield)$/.test(before),
      };
      literals.push(literal);
      i = readTemplate(i + 1, literal);
      lastSignificant = i - 1;
      continue;
    }
    if (c === '/') {
      const previous = lastSignificant >= 0 ? (text[lastSignificant] as string) : '';
      const isRegex =
        lastSignificant < 0 ||
        REGEX_AFTER.has(previous) ||
        REGEX_AFTER_WORDS.test(text.slice(Math.max(0, lastSignificant - 10), lastSignificant + 1));
      if (isRegex) {
        let j = i + 1;
        let inClass = false;
        while (j < text.length && text[j] !== '\n') {
          const d = text[j];
          if (d === '\\') {
            j += 2;
            continue;
          }
          if (d === '[') inClass = true;
          else if (d === ']') inClass = false;
          else if (d === '/' && !inClass) break;
          j++;
        }
        literals.push({
          start: i,
          end: j + 1,
          kind: 'regex',
          value: text.slice(i + 1, j),
          interpolated: false,
          tagged: false,
        });
        blank(bare, i + 1, j);
        lastSignificant = j;
        i = j + 1;
        continue;
      }
    }
    if (c === '(') rounds++;
    else if (c === ')') underflow ||= --rounds < 0;
    else if (c === '[') squares++;
    else if (c === ']') underflow ||= --squares < 0;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      underflow ||= depth < 0;
      const open = templates.at(-1);
      if (open !== undefined && open.depth === depth) {
        templates.pop();
        i = readTemplate(i + 1, open.literal);
        lastSignificant = i - 1;
        continue;
      }
    }
    lastSignificant = i;
    i++;
  }
  const balanced = !underflow && rounds === 0 && squares === 0 && depth === 0 && templates.length === 0;
  // A long value sliced from the text keeps all of the text alive; the scan's readers keep only these.
  for (const literal of literals) if (literal.value.length >= 13) literal.value = ` ${literal.value}`.slice(1);
  return { code: blanked(text, code), bare: blanked(text, bare), literals, balanced };
}

/** The text with each range (pairs of [from, to), in order) blanked: every character but a newline becomes a space. */
function blanked(text: string, ranges: number[]): string {
  if (ranges.length === 0) return text;
  if (!/[^\0-\xff]/.test(text)) return blankedBytes(text, ranges);
  // Pieces joined once: adding each to a string made a chain of thousands of small strings to flatten.
  const pieces: string[] = [];
  let at = 0;
  // A literal left open at the very end (`'abc\` as the last characters) reaches past the text:
  // each position past the end that a range covers is a space, as it always was.
  const past = new Set<number>();
  for (let k = 0; k < ranges.length; k += 2) {
    const start = ranges[k] as number;
    const stop = ranges[k + 1] as number;
    for (let i = Math.max(start, text.length); i < stop; i++) past.add(i);
    const from = Math.max(start, at);
    const to = Math.min(stop, text.length);
    if (from >= to) continue;
    // Most ranges are one line: spaces at once, without a pass of a regular expression.
    const newline = text.indexOf('\n', from);
    pieces.push(
      text.slice(at, from),
      newline === -1 || newline >= to ? ' '.repeat(to - from) : text.slice(from, to).replace(/[^\n]/g, ' '),
    );
    at = to;
  }
  pieces.push(text.slice(at), ' '.repeat(past.size));
  return pieces.join('');
}

/** `blanked` for text whose every character fits a byte (nearly all code): a copy blanked in place. */
function blankedBytes(text: string, ranges: number[]): string {
  const bytes = Buffer.from(text, 'latin1');
  let past = 0;
  let end = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const start = ranges[k] as number;
    const stop = ranges[k + 1] as number;
    // Past the end of the text: a space for each position no earlier range covered.
    if (stop > Math.max(text.length, end)) {
      past += stop - Math.max(start, text.length, end);
      end = stop;
    }
    const to = Math.min(stop, text.length);
    if (start >= to) continue;
    bytes.fill(32, start, to);
    for (
      let newline = text.indexOf('\n', start);
      newline !== -1 && newline < to;
      newline = text.indexOf('\n', newline + 1)
    ) {
      bytes[newline] = 10;
    }
  }
  return bytes.toString('latin1') + ' '.repeat(past);
}

/** 1-based line numbers for indexes into one text. */
export function lineCounter(text: string): (index: number) => number {
  // Built on the first call: most files are never cited in a finding.
  let starts: number[] | undefined;
  return (index) => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * The index just past the bracket that closes the one at `open`, in text whose literals
 * and comments are blanked (`bare`), or the end of the text when it never closes.
 */
export function closingBracket(bare: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < bare.length; i++) {
    const c = bare[i] as string;
    if (c in CLOSING) stack.push(CLOSING[c] as string);
    else if (c === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return bare.length;
}
