import type { Node } from '@babel/types';
import { at, type Evidence } from '../findings.js';
import { clientErrorsOnly, developmentOnly, guardsOf } from '../guards.js';
import type { ParsedSource, Project, TextFile } from '../project.js';
import { lineCounter } from '../source.js';
import { dottedName, isFunction, propertyName, walk } from '../syntax.js';
import type { ErrorHandler } from './error-handlers.js';
import { appSources } from './helpers.js';

/** What reaches the client: the stack, the error's message, or the error object itself. */
type Internal = 'stack' | 'message' | 'object';

export interface Leak {
  evidence: Evidence;
  /** `low` when only a development-only branch sends it. */
  severity: 'high' | 'low';
}

const SENDS = new Set(['json', 'send', 'end', 'write', 'text', 'html', 'jsonp']);

interface Sink {
  node: Node;
  value: Node;
  /** A view renders it (res.locals, res.render): the error object shows only if the view prints its stack. */
  view: boolean;
}

/** Where the handler hands something to the client. */
function sinksOf(body: Node): Sink[] {
  const sinks: Sink[] = [];
  walk(body, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
      const method = propertyName(node.callee);
      if (method !== undefined && SENDS.has(method)) {
        for (const value of node.arguments) sinks.push({ node, value, view: false });
      }
      if (method === 'render') for (const value of node.arguments.slice(1)) sinks.push({ node, value, view: true });
    } else if (node.type === 'NewExpression' && dottedName(node.callee) === 'Response') {
      for (const value of node.arguments) sinks.push({ node, value, view: false });
    } else if (node.type === 'AssignmentExpression') {
      const target = dottedName(node.left) ?? '';
      if (/(?:^|\.)ctx\.body$|^ctx\.body$/.test(target)) sinks.push({ node, value: node.right, view: false });
      else if (/\.locals\.[\w$]+$/.test(target)) sinks.push({ node, value: node.right, view: true });
    }
  });
  return sinks;
}

interface Found {
  node: Node;
  what: Internal;
}

/** The internals an expression carries, through the handler's own variables (`const body = {…}`). */
function internalsIn(value: Node, errorName: string | undefined, variables: Map<string, Found[]>): Found[] {
  const found: Found[] = [];
  walk(value, (node, ancestors) => {
    if (ancestors.some(isFunction) || isFunction(node)) return;
    const parent = ancestors.at(-1);
    if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
      const property = propertyName(node);
      if (property === 'stack') found.push({ node, what: 'stack' });
      else if (property === 'message' && errorName !== undefined && dottedName(node.object) === errorName) {
        found.push({ node, what: 'message' });
      }
      return;
    }
    if (node.type !== 'Identifier') return;
    const isRead =
      parent === undefined ||
      (parent.type === 'ObjectProperty' && parent.value === node) ||
      parent.type === 'SpreadElement' ||
      parent.type === 'ArrayExpression' ||
      parent.type === 'ConditionalExpression' ||
      parent.type === 'LogicalExpression' ||
      (parent.type === 'CallExpression' && parent.callee !== node);
    if (!isRead) return;
    if (node.name === errorName) found.push({ node, what: 'object' });
    else found.push(...(variables.get(node.name) ?? []));
  });
  return found;
}

/** The handler's variables that hold internals: `const body = { message: err.message }`, `body.stack = err.stack`. */
function variablesOf(handler: ErrorHandler): Map<string, Found[]> {
  const variables = new Map<string, Found[]>();
  if (handler.body === undefined) return variables;
  walk(handler.body, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
      const found = internalsIn(node.init, handler.errorName, variables);
      if (found.length > 0) variables.set(node.id.name, found);
    } else if (node.type === 'AssignmentExpression') {
      const root = node.left.type === 'MemberExpression' ? dottedName(node.left)?.split('.')[0] : undefined;
      if (root === undefined || root === handler.errorName) return;
      const found = internalsIn(node.right, handler.errorName, variables);
      if (found.length > 0) variables.set(root, [...(variables.get(root) ?? []), ...found]);
    }
  });
  return variables;
}

const DETAIL: Record<Internal, string> = {
  stack: 'sends the stack trace',
  message: "sends the error's message for every status, 5xx included",
  object: 'sends the error object itself',
};

/** express-generator's views/error.jade prints `error.stack`: where it does, an error given to a view is its stack. */
function viewPrintingStack(texts: TextFile[]): Evidence | undefined {
  for (const view of texts.filter((text) => /(?:^|\/)views\/error\.\w+$/.test(text.path))) {
    const index = view.text.search(/\.stack\b/);
    if (index >= 0) return { file: view.path, line: lineCounter(view.text)(index), detail: 'prints the stack trace' };
  }
  return undefined;
}

/** What one handler of this file lets a client see on a 5xx path. */
export function leaksOf(file: ParsedSource, handler: ErrorHandler, texts: TextFile[]): Leak[] {
  const { body } = handler;
  if (body === undefined) return [];
  const variables = variablesOf(handler);
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  for (const sink of sinksOf(body)) {
    for (const found of internalsIn(sink.value, handler.errorName, variables)) {
      if (found.what === 'message' && handler.clientErrorsOnly) continue;
      const guards = [...guardsOf(file, found.node, body), ...guardsOf(file, sink.node, body)];
      if (clientErrorsOnly(file, guards)) continue;
      let evidence: Evidence | undefined = at(file, found.node.start ?? 0, DETAIL[found.what]);
      if (sink.view && found.what === 'object') evidence = viewPrintingStack(texts);
      if (evidence === undefined) continue;
      const severity = developmentOnly(file, guards) ? 'low' : 'high';
      const key = `${evidence.file}:${evidence.line}:${evidence.detail}:${severity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      leaks.push({ evidence, severity });
    }
  }
  return leaks;
}

/** What every error handler lets a client see on a 5xx path, found file by file as it was read. */
export function errorLeaks(project: Project): Leak[] {
  return appSources(project).flatMap((file) => file.facts.leaks);
}
