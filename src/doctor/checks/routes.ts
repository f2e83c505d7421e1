import type { CallExpression, Node } from '@babel/types';
import { at, type Evidence } from '../findings.js';
import type { Framework, ParsedSource, SourceText } from '../project.js';
import { closingBracket } from '../source.js';
import { contains, isFunction, nodesOf, objectKeys, propertyName, staticString } from '../syntax.js';

const BODY_METHODS = new Set(['post', 'put', 'patch']);
/** Middleware whose name or code says it validates (`validate(schema)`, `celebrate(…)`, `body('x')`). */
const VALIDATING_MIDDLEWARE = /valid|schema|celebrate|check|zod|joi|yup|body\s*\(/i;
const VALIDATING_METHODS = new Set([
  'parse',
  'safeParse',
  'parseAsync',
  'safeParseAsync',
  'validate',
  'validateSync',
  'validateAsync',
  'assert',
]);
const VALIDATING_FUNCTIONS = new Set(['validationResult', 'validate']);
/** Fastify's hooks that run before a route's handler, where a validator may sit. */
const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];
/** A path a route is declared on: empty (the plugin's prefix) or from the root. */
const ROUTE_PATH = /^(?:\/[^'"`]*)?$/;

const sourceOf = (file: ParsedSource, node: Node) => file.code.slice(node.start ?? 0, node.end ?? 0);

/** A handler that calls a validator itself (`Body.parse(req.body)`, `validationResult(req)`). */
const validates = (handler: Node) =>
  contains(
    handler,
    (node) =>
      node.type === 'CallExpression' &&
      (node.callee.type === 'Identifier'
        ? VALIDATING_FUNCTIONS.has(node.callee.name)
        : VALIDATING_METHODS.has(propertyName(node.callee) ?? '')),
  );

/** `app.post('/x', …, handler)`: a route that takes a body, reported when nothing on it validates. */
function bodyRoute(
  file: ParsedSource,
  call: CallExpression,
  method: string,
  framework?: Framework,
): string | undefined {
  const [first, ...rest] = call.arguments;
  const path = staticString(first);
  if (path === undefined || !ROUTE_PATH.test(path) || rest.length === 0) return undefined;
  const handler = rest.at(-1) as Node;
  const middle = rest.slice(0, -1);
  const options = objectKeys(middle[0]);
  // Fastify validates against the route's schema; with `...spread` it may come from elsewhere.
  if (framework === 'fastify' && options !== undefined && (options.keys.has('schema') || options.spread)) {
    return undefined;
  }
  // Middleware before the handler; in Fastify's options object, the hooks that run before it.
  const before =
    framework === 'fastify' && options !== undefined
      ? [...HOOKS.flatMap((hook) => options.keys.get(hook) ?? []), ...middle.slice(1)]
      : middle;
  if (before.some((arg) => VALIDATING_MIDDLEWARE.test(sourceOf(file, arg)))) return undefined;
  if (!isFunction(handler)) {
    // A handler defined elsewhere may validate: only a route seen whole, or a Fastify route whose
    // options object has no schema, is judged.
    if (!(framework === 'fastify' && options !== undefined)) return undefined;
  } else if (validates(handler)) return undefined;
  return `${method.toUpperCase()} ${path === '' ? '(prefix)' : path} takes a body with no schema`;
}

/** Fastify's `app.route({ method: 'POST', url, … })` with no schema. */
function fullRoute(call: CallExpression): string | undefined {
  const options = objectKeys(call.arguments[0]);
  if (options === undefined || options.spread || options.keys.has('schema')) return undefined;
  const method = staticString(options.keys.get('method'));
  if (method === undefined || !BODY_METHODS.has(method.toLowerCase())) return undefined;
  const url = staticString(options.keys.get('url')) ?? '(route)';
  return `${method.toUpperCase()} ${url} takes a body with no schema`;
}

/** Routes of one app file that take a body but show no validation where they are declared. */
export function routesWithoutSchema(file: ParsedSource, framework: Framework | undefined): Evidence[] {
  const found: Evidence[] = [];
  for (const call of nodesOf(file.tree, 'CallExpression')) {
    if (call.callee.type !== 'MemberExpression') continue;
    const method = propertyName(call.callee);
    const detail =
      method === 'route'
        ? fullRoute(call)
        : method !== undefined && BODY_METHODS.has(method)
          ? bodyRoute(file, call, method, framework)
          : undefined;
    if (detail !== undefined) found.push(at(file, call.callee.property.start ?? 0, detail));
  }
  return found;
}

/**
 * The keys of the object literal that opens at `open` in `bare` (each read from `code`, where a
 * quoted key keeps its text), or undefined when one cannot be read that way.
 */
function literalKeys(file: SourceText, open: number): { keys: Set<string>; spread: boolean } | undefined {
  const { bare, code } = file;
  const close = closingBracket(bare, open) - 1;
  const keys = new Set<string>();
  let spread = false;
  let depth = 0;
  let expectKey = true;
  for (let i = open + 1; i < close; i++) {
    const c = bare[i] as string;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === ',') expectKey = true;
    else if (depth === 0 && expectKey && /\S/.test(c)) {
      expectKey = false;
      if (bare.startsWith('...', i)) {
        spread = true;
        continue;
      }
      const key = /^(?:(['"`])([^'"`]*)\1|[\w$]+)/.exec(code.slice(i, i + 200));
      if (key === null) return undefined;
      keys.add(key[2] ?? key[0]);
    }
  }
  return { keys, spread };
}

/** post, put, patch or route as a member, maybe quoted: where a route call may start. */
const ROUTE_MEMBER = /(?:\.\s*|\[\s*['"`])(post|put|patch|route)\b(?:['"`]\s*\])?\s*/g;

const skipSpaces = (text: string, at: number) => {
  let i = at;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
};

/**
 * Could `routesWithoutSchema` report the call whose `(` is at `open`? Only a call whose first
 * argument is a path literal and that has more arguments; on Fastify, not one whose options
 * object has a schema key or a spread. Read from the brackets in `bare` and the text in `code`;
 * anything else it cannot be sure of counts as "could".
 */
function mayReport(file: SourceText, open: number, method: string, framework: Framework | undefined): boolean {
  const { bare, code } = file;
  let at = skipSpaces(bare, open + 1);
  if (method !== 'route') {
    const quote = bare[at];
    if (quote !== "'" && quote !== '"' && quote !== '`') return false;
    const end = bare.indexOf(quote, at + 1);
    if (end === -1) return true;
    const raw = code.slice(at + 1, end);
    if (!raw.includes('\\') && !raw.includes('${') && !ROUTE_PATH.test(raw)) return false;
    at = skipSpaces(bare, end + 1);
    if (bare[at] === ')') return false;
    if (bare[at] !== ',') return true;
    if (framework !== 'fastify') return true;
    at = skipSpaces(bare, at + 1);
  }
  if (bare[at] !== '{') return true;
  const object = literalKeys(file, at);
  return object === undefined || !(object.spread || object.keys.has('schema'));
}

/** Could `routesWithoutSchema` report something in this file? */
export function mayHoldUnvalidatedRoute(file: SourceText, framework: Framework | undefined): boolean {
  const { bare, code } = file;
  if (!/\b(?:post|put|patch|route)\b/.test(code)) return false;
  ROUTE_MEMBER.lastIndex = 0;
  for (let match = ROUTE_MEMBER.exec(code); match !== null; match = ROUTE_MEMBER.exec(code)) {
    const open = match.index + match[0].length;
    // Type arguments, or a member read without a call: not worth telling apart.
    if (bare[open] !== '(') return true;
    if (mayReport(file, open, match[1] as string, framework)) return true;
  }
  return false;
}
