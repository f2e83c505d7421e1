import { handlersIn } from './checks/error-handlers.js';
import { type Leak, leaksOf } from './checks/error-leaks.js';
import { mayHoldUnvalidatedRoute, routesWithoutSchema } from './checks/routes.js';
import { sessionsWithoutStore } from './checks/scalability.js';
import { envFallbacks, literalSecrets } from './checks/secrets.js';
import { bodyDecorators, corsCalls, fastifyCors, type TextMatch, tlsVerificationOff } from './checks/security.js';
import { type SqlFact, sqlBuiltIn } from './checks/sql.js';
import type { Evidence } from './findings.js';
import type { Framework, ParsedSource, SourceText, TextFile } from './project.js';
import { servedBy } from './runtime.js';
import { parseSource } from './syntax.js';

/**
 * What the checks read from one file's syntax tree. Doctor parses a file, finds all of these, and
 * drops the tree before the next file: keeping every tree of a 5,000-file project took about
 * 640 MB and most of the run's time in garbage collection.
 */
export interface TreeFacts {
  /** Error handlers recognised by their shape (app files). */
  errorHandlers: number;
  /** What those handlers let a client see. */
  leaks: readonly Leak[];
  /** SQL text built from values that reaches a call that runs it (app and script files). */
  sql: readonly SqlFact[];
  /** Routes that take a body with no schema or validation where they are declared (app files). */
  routes: readonly Evidence[];
  /** Nest `@Body(…)` parameter decorators (app files). */
  bodies: readonly { index: number; written: string }[];
  /** `rejectUnauthorized: false` (app and script files). */
  tlsOff: readonly TextMatch[];
  /** `cors()` and `@koa/cors` called with no origin (app files). */
  corsCalls: readonly Evidence[];
  /** `@fastify/cors` registered with no origin (app files). */
  fastifyCors: readonly Evidence[];
  /** Session plugins with no store (app files). */
  sessions: readonly Evidence[];
  /** Literal credentials and secret variables that fall back to a literal (app and script files). */
  secrets: readonly Evidence[];
  /** `Deno.serve(…)` or `Bun.serve(…)` called here (app files). */
  servedBy: 'deno' | 'bun' | undefined;
}

const nothing: readonly never[] = Object.freeze([]);
/** The facts of a file no tree check can use: shared by all of them, so frozen. */
const NONE: TreeFacts = Object.freeze({
  errorHandlers: 0,
  leaks: nothing,
  sql: nothing,
  routes: nothing,
  bodies: nothing,
  tlsOff: nothing,
  corsCalls: nothing,
  fastifyCors: nothing,
  sessions: nothing,
  secrets: nothing,
  servedBy: undefined,
});

/*
 * Prefilters: a file is parsed only when its text could hold what some tree check looks for.
 * Each test below must be true of every file in which its check finds something (it may be
 * true of others): it looks for the words, names and module strings that the check's tree
 * test needs, in `code` (comments blanked, literals kept, since a key or a member may be a
 * string) or `bare` (literals blanked too, for what can only be code). test/unit/doctor-facts
 * runs every check on every file of the fixtures with and without these tests, and compares.
 */

const ERROR_NAME = /^_?(?:err|error|e|ex|exception)$/i;
const ERROR_TYPE = /\b(?:\w*Error|\w*Exception|any|unknown)\b/;
/** The start of a list whose first item may be a parameter: a name, a decorator or a TS modifier. */
const FIRST_PARAMETER = /\(\s*(?:(?:public|private|protected|readonly|override)\s+)*(?:(@)|([\w$]+)\s*\??\s*([,:=]))/g;
/**
 * `error` just before an opening bracket (in `code`: the key may be quoted or computed), maybe with
 * type parameters between: routing-controllers' method.
 */
const NAMED_ERROR = /\berror\s*(?:['"`]\s*\]?\s*)?(?:<[\s\S]*>\s*)?$/;

/** The commas of the list that opens at `open` (in `bare`) that are not inside a nested bracket. */
function topLevelCommas(bare: string, open: number): { commas: number; close: number } {
  let depth = 0;
  let commas = 0;
  for (let i = open + 1; i < bare.length; i++) {
    const c = bare.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return { commas, close: i };
      depth--;
    } else if (c === 44 && depth === 0) commas++;
  }
  return { commas, close: bare.length };
}

/**
 * A function of four parameters whose first is named like an error, typed like one, or that is a
 * method named `error` (error-handlers.ts): some bracket holds three commas of its own and one of those.
 */
function mayHoldFourParameterHandler(file: SourceText): boolean {
  const { bare, code, text } = file;
  FIRST_PARAMETER.lastIndex = 0;
  for (let match = FIRST_PARAMETER.exec(bare); match !== null; match = FIRST_PARAMETER.exec(bare)) {
    const open = match.index;
    const { commas, close } = topLevelCommas(bare, open);
    if (commas < 3) continue;
    const [, decorator, name, after] = match;
    if (decorator !== undefined || ERROR_NAME.test(name ?? '')) return true;
    // The first parameter's type is somewhere in the list, comments included as error-handlers.ts reads it.
    if (after === ':' && ERROR_TYPE.test(text.slice(open, close))) return true;
    if (NAMED_ERROR.test(code.slice(Math.max(0, open - 200), open))) return true;
  }
  return false;
}

/** setErrorHandler, Hono's onError, Nest's @Catch, Koa's try { await next() } catch (…) { ctx.body = … }. */
function mayHoldErrorHandler(file: SourceText): boolean {
  const { code, bare } = file;
  // `includes` first: a regular expression that starts with \b and a choice of words tries every position.
  const registers = code.includes('setErrorHandler') || code.includes('onError') || code.includes('Catch');
  if (registers && /\b(?:setErrorHandler|onError|Catch)\b/.test(code)) return true;
  const koa = bare.includes('catch') && bare.includes('next') && bare.includes('ctx');
  if (koa && /\bcatch\b/.test(bare) && /\bnext\b/.test(bare) && /\bctx\b/.test(bare)) return true;
  return mayHoldFourParameterHandler(file);
}

/**
 * A call of `query`, `execute`, `raw`… (sql.ts): the name, maybe quoted as a computed member, then
 * type arguments or the call's bracket, maybe past the bracket that closes a parenthesised callee.
 */
const RUNS_SQL_CALL =
  /\b(?:query|execute|raw|whereRaw|orderByRaw|queryRawUnsafe|executeRawUnsafe)\b(?:['"`]\s*\])?\s*(?:\)\s*)*[(<]/;
const SECRET_NAME = /secret|passw(?:or)?d|pwd|api_?key|access_?key|auth_?token|private_?key|client_?secret/i;
const CORS_MODULE = /['"`](?:@koa\/|@fastify\/)?cors['"`]/;
const SESSION_MODULE = /['"`](?:express-session|@fastify\/session)['"`]/;

export interface ReadContext {
  /** The project's framework: Fastify routes are validated by their schema. */
  framework?: Framework;
  /** SQL, templates and config read as text: error-leaks.ts looks for a view that prints the stack. */
  texts: TextFile[];
  /** Run every tree check on every file, prefilters off: for tests that compare the two. */
  parseAll?: boolean;
}

/**
 * The facts of one file's tree, or undefined when the file was parsed and did not parse. A file
 * whose text no tree check can use, and whose brackets balance, is not parsed at all.
 */
export function treeFacts(file: SourceText, context: ReadContext): TreeFacts | undefined {
  if (file.role === 'test') return NONE;
  const all = context.parseAll === true;
  const app = file.role === 'app';
  const { code, bare } = file;
  const runsSql = code.includes('query') || code.includes('execute') || code.includes('raw') || code.includes('Raw');
  const wants = {
    errors: app && (all || mayHoldErrorHandler(file)),
    sql: all || (runsSql && RUNS_SQL_CALL.test(code)),
    routes: app && (all || mayHoldUnvalidatedRoute(file, context.framework)),
    bodies: app && (all || (code.includes('Body') && /\bBody\b/.test(code))),
    tls: all || code.includes('rejectUnauthorized'),
    cors: app && (all || (code.includes('cors') && CORS_MODULE.test(code))),
    sessions: app && (all || (code.includes('session') && SESSION_MODULE.test(code))),
    secrets: all || SECRET_NAME.test(code),
    served: app && (all || (bare.includes('.serve') && /\b(?:Deno|Bun)\.serve\b/.test(bare))),
  };
  if (file.balanced && !Object.values(wants).some(Boolean)) return NONE;
  const tree = parseSource(file.path, file.text);
  if (tree === undefined) return undefined;
  const parsed: ParsedSource = { ...file, tree };
  const facts: TreeFacts = { ...NONE };
  if (wants.errors) {
    const handlers = handlersIn(parsed);
    facts.errorHandlers = handlers.length;
    facts.leaks = handlers.flatMap((handler) => leaksOf(parsed, handler, context.texts));
  }
  if (wants.sql) facts.sql = sqlBuiltIn(parsed);
  if (wants.routes) facts.routes = routesWithoutSchema(parsed, context.framework);
  if (wants.bodies) facts.bodies = bodyDecorators(parsed);
  if (wants.tls) facts.tlsOff = tlsVerificationOff(parsed);
  if (wants.cors) {
    facts.corsCalls = corsCalls(parsed);
    facts.fastifyCors = fastifyCors(parsed);
  }
  if (wants.sessions) facts.sessions = sessionsWithoutStore(parsed);
  if (wants.secrets) facts.secrets = [...literalSecrets(parsed), ...envFallbacks(parsed)];
  if (wants.served) facts.servedBy = servedBy(parsed);
  return facts;
}
