import type { Node } from '@babel/types';
import type { ParsedSource } from './project.js';
import { ancestorsOf } from './syntax.js';

/** A condition that must hold (or fail, `holds: false`) for the code at a node to run. */
export interface Guard {
  test: Node;
  holds: boolean;
}

const exits = (statement: Node): boolean => {
  if (statement.type === 'ReturnStatement' || statement.type === 'ThrowStatement') return true;
  if (statement.type === 'BlockStatement') {
    const last = statement.body.at(-1);
    return last !== undefined && exits(last);
  }
  return false;
};

/**
 * The conditions on the way from `within` down to `node`: the if, ?: and &&/|| branches it sits
 * in, and each earlier `if (test) return …` of an enclosing block (past it, the test failed).
 */
export function guardsOf(file: ParsedSource, node: Node, within: Node): Guard[] {
  const chain = [...ancestorsOf(file.tree, node), node];
  const start = chain.indexOf(within);
  if (start === -1) return [];
  const guards: Guard[] = [];
  for (let i = start; i < chain.length - 1; i++) {
    const parent = chain[i] as Node;
    const child = chain[i + 1] as Node;
    if (parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') {
      if (child === parent.consequent) guards.push({ test: parent.test, holds: true });
      else if (child === parent.alternate) guards.push({ test: parent.test, holds: false });
    } else if (parent.type === 'LogicalExpression' && child === parent.right) {
      if (parent.operator === '&&') guards.push({ test: parent.left, holds: true });
      else if (parent.operator === '||') guards.push({ test: parent.left, holds: false });
    } else if (parent.type === 'BlockStatement') {
      for (const statement of parent.body) {
        if (statement === child) break;
        if (statement.type === 'IfStatement' && !statement.alternate && exits(statement.consequent)) {
          guards.push({ test: statement.test, holds: false });
        }
      }
    }
  }
  return guards;
}

const DEV_IF_TRUE =
  /===?\s*['"`](?:development|dev|local)['"`]|['"`](?:development|dev|local)['"`]\s*===?|!==?\s*['"`]production['"`]|['"`]production['"`]\s*!==?|\bis_?dev(?:elopment)?\b|\b__DEV__\b/i;
const PROD_IF_TRUE = /===?\s*['"`]production['"`]|['"`]production['"`]\s*===?|\bis_?prod(?:uction)?\b/i;
const CLIENT_IF_TRUE =
  /<\s*500\b|<=\s*499\b|\b500\s*>|\b499\s*>=|\.expose\b|\bisOperational\b|\binstanceof\s+\w*(?:HttpError|HttpException|ValidationError|AppError|ApiError|ClientError|BadRequest\w*|NotFound\w*)\b/;
const SERVER_IF_TRUE = />=\s*500\b|>\s*499\b|\b500\s*<=|===?\s*500\b/;

/** Reads `!test` as `test` failing. */
function unwrap(guard: Guard): Guard {
  let { test, holds } = guard;
  while (test.type === 'UnaryExpression' && test.operator === '!') {
    test = test.argument;
    holds = !holds;
  }
  return { test, holds };
}

function textOf(file: ParsedSource, node: Node): string {
  return file.text.slice(node.start ?? 0, node.end ?? 0);
}

/** The code runs only in development (NODE_ENV === 'development', !== 'production', isDev). */
export function developmentOnly(file: ParsedSource, guards: Guard[]): boolean {
  return guards.map(unwrap).some(({ test, holds }) => {
    const text = textOf(file, test);
    return holds ? DEV_IF_TRUE.test(text) : PROD_IF_TRUE.test(text);
  });
}

/** The code runs only for client errors (status < 500, err.expose, an HttpError-like class). */
export function clientErrorsOnly(file: ParsedSource, guards: Guard[]): boolean {
  return guards.map(unwrap).some(({ test, holds }) => {
    const text = textOf(file, test);
    return holds ? CLIENT_IF_TRUE.test(text) : SERVER_IF_TRUE.test(text);
  });
}
