import { UsageError } from './errors.js';

/** The spellings of one resource that templates need, from its plural, hyphenated name. */
export interface ResourceNames {
  /** `order-lines`: the folder, the route prefix, the OpenAPI tag. */
  name: string;
  /** `order_lines`: the table. */
  table: string;
  /** `orderLines`: the schema's table variable. */
  camel: string;
  /** `OrderLines`. */
  pascal: string;
  /** `orderLine`. */
  singularCamel: string;
  /** `OrderLine`: types and schemas of one row. */
  singularPascal: string;
  /** `order line`: prose in summaries and messages. */
  singularWords: string;
  /** `an order line`: the same with its article, for summaries. */
  aSingular: string;
}

// Module folders every project has or may get from a feature, and route prefixes it serves.
const taken = ['items', 'auth', 'health', 'docs', 'metrics', 'api-keys', 'apikeys', 'users', 'modules', 'index'];
// Words that cannot name a variable, and names that would shadow globals in generated code.
const reservedWords = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined nan infinity object array string number boolean symbol error date promise map set json math`.split(
    ' ',
  ),
);

const namePattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function singular(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

// `an` before a vowel, but `a unit`, `a user`: a `u` that sounds as `you` before one consonant and a vowel.
const articleOf = (word: string) => (/^(?:[aeio]|u(?![^aeiou][aeiouy]))/.test(word) ? 'an' : 'a');

const capitalise = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
const camelOf = (words: string[]) => words.map((word, i) => (i === 0 ? word : capitalise(word))).join('');

/** Refuses a name that is not a plural lowercase word list, is reserved, or is already a module. */
export function checkResourceName(name: string, existing: readonly string[]): void {
  const usage =
    'Resource names are plural, lowercase letters and digits, words joined by hyphens: orders, order-lines.';
  if (!namePattern.test(name)) {
    throw new UsageError(`Invalid resource name "${name}". ${usage}`);
  }
  // Longer names would push generated lines past the formatter's width in some places.
  if (name.length > 24) throw new UsageError(`Resource name "${name}" is longer than 24 characters.`);
  const words = name.split('-');
  if (taken.includes(name) || words.some((word) => reservedWords.has(word)) || reservedWords.has(singular(name))) {
    throw new UsageError(
      `"${name}" is reserved (a module or route the project has or may get, or a JavaScript word). Choose another name.`,
    );
  }
  if (!name.endsWith('s') || name.endsWith('ss') || singular(name).length === 0) {
    throw new UsageError(`Resource name "${name}" is not a plural noun. ${usage}`);
  }
  if (existing.includes(name)) throw new UsageError(`The project already has a resource named "${name}".`);
}

export function resourceNames(name: string): ResourceNames {
  const words = name.split('-');
  const singularWords = [...words.slice(0, -1), singular(words.at(-1) ?? '')];
  return {
    name,
    table: words.join('_'),
    camel: camelOf(words),
    pascal: capitalise(camelOf(words)),
    singularCamel: camelOf(singularWords),
    singularPascal: capitalise(camelOf(singularWords)),
    singularWords: singularWords.join(' '),
    aSingular: `${articleOf(name)} ${singularWords.join(' ')}`,
  };
}
