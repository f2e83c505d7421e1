import { type ParserPlugin, parse } from '@babel/parser';
import type { File, Node } from '@babel/types';

/**
 * Syntax trees of the files doctor reads, from @babel/parser: pure JavaScript, so it bundles
 * into the doctor chunk; it reads TypeScript, decorators and JSX in one pass, and with
 * `errorRecovery` a file with a stray error still gives a tree. See the README's doctor section.
 */
export type { Node };

function pluginsFor(path: string): ParserPlugin[] {
  if (/\.[cm]?ts$/.test(path)) return ['typescript', 'decorators-legacy'];
  if (/\.tsx$/.test(path)) return ['typescript', 'jsx', 'decorators-legacy'];
  return ['jsx', 'decorators-legacy'];
}

/** The tree of one file, or undefined when it is not JavaScript or TypeScript that Babel reads. */
export function parseSource(path: string, text: string): File | undefined {
  const options = {
    sourceType: 'unambiguous' as const,
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
  };
  let tree: File;
  try {
    tree = parse(text.startsWith('#!') ? `//${text.slice(2)}` : text, { ...options, plugins: pluginsFor(path) });
  } catch {
    // `<T>x` casts in a .ts file parsed without JSX, or JSX in a .js file that is really Flow: try the other reading.
    try {
      tree = parse(text, { ...options, plugins: ['typescript', 'jsx', 'decorators-legacy'] });
    } catch {
      return undefined;
    }
  }
  // Index it now, while it is young: that walk also drops each node's `loc` (three objects a node
  // that no check reads; `start` and `end` stay).
  indexOf(tree);
  return tree;
}

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'leadingComments', 'trailingComments', 'innerComments', 'extra']);

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** Each child node of a node, in source order. */
export function children(node: Node): Node[] {
  const found: Node[] = [];
  for (const key of Object.keys(node)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) found.push(item);
    } else if (isNode(value)) found.push(value);
  }
  // Babel's keys are nearly always in source order already: sort only when they are not.
  for (let i = 1; i < found.length; i++) {
    if (((found[i] as Node).start ?? 0) < ((found[i - 1] as Node).start ?? 0)) {
      return found.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    }
  }
  return found;
}

/** Visits every node under `root` (itself included) with the chain of its ancestors, nearest last. */
export function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => void): void {
  const ancestors: Node[] = [];
  const step = (node: Node) => {
    visit(node, ancestors);
    ancestors.push(node);
    for (const child of children(node)) step(child);
    ancestors.pop();
  };
  step(root);
}

/** Every node under `root` that passes the test. */
export function findAll<T extends Node>(root: Node, test: (node: Node) => node is T): T[] {
  const found: T[] = [];
  walk(root, (node) => {
    if (test(node)) found.push(node);
  });
  return found;
}

export type FunctionNode = Extract<
  Node,
  { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' | 'ClassMethod' | 'ObjectMethod' }
>;

export function isFunction(node: Node): node is FunctionNode {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ClassMethod' ||
    node.type === 'ObjectMethod'
  );
}

/** `a.b.c` for a chain of plain member accesses and identifiers (`this` too), else undefined. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (node == null) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression') return dottedName(node.expression);
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const object = dottedName(node.object);
    const property = propertyName(node);
    return object === undefined || property === undefined ? undefined : `${object}.${property}`;
  }
  return undefined;
}

/** The name of the property a member expression reads: `a.b` and `a['b']` are both `b`. */
export function propertyName(node: Node): string | undefined {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'StringLiteral') return node.property.value;
  return undefined;
}

/** The name of an object key: `a: 1`, `'a': 1`. */
export function keyName(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'StringLiteral') return node.value;
  return undefined;
}

/** The method a call calls: `x.y.query(...)` → `query`; `query(...)` → `query`. */
export function calleeName(node: Node): string | undefined {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression' && node.type !== 'NewExpression') {
    return undefined;
  }
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name;
  return propertyName(callee);
}

/** The value of a string literal or a template without `${…}`. */
export function staticString(node: Node | null | undefined): string | undefined {
  if (node == null) return undefined;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? '';
  return undefined;
}

/** The properties of an object literal by key; `spread` when it has `...x` (its keys cannot be known). */
export function objectKeys(node: Node | undefined): { keys: Map<string, Node>; spread: boolean } | undefined {
  if (node?.type !== 'ObjectExpression') return undefined;
  const keys = new Map<string, Node>();
  let spread = false;
  for (const property of node.properties) {
    if (property.type === 'SpreadElement') spread = true;
    else {
      const key = property.computed ? undefined : keyName(property.key);
      if (key !== undefined) keys.set(key, property.type === 'ObjectProperty' ? property.value : property);
    }
  }
  return { keys, spread };
}

/** Does any node under `root` pass the test? */
export function contains(root: Node, test: (node: Node) => boolean): boolean {
  let found = false;
  walk(root, (node) => {
    if (!found && test(node)) found = true;
  });
  return found;
}

interface TreeIndex {
  byType: Map<string, Node[]>;
}
const indexes = new WeakMap<Node, TreeIndex>();

/** One walk per tree, kept: every check then asks for nodes by type instead of walking again. */
function indexOf(root: Node): TreeIndex {
  let index = indexes.get(root);
  if (index === undefined) {
    const built: TreeIndex = { byType: new Map() };
    walk(root, (node) => {
      (node as { loc?: unknown }).loc = undefined;
      const list = built.byType.get(node.type);
      if (list === undefined) built.byType.set(node.type, [node]);
      else list.push(node);
    });
    indexes.set(root, built);
    index = built;
  }
  return index;
}

/** Every node of these types in the tree, in source order within each type. */
export function nodesOf<T extends Node['type']>(root: Node, ...types: T[]): Extract<Node, { type: T }>[] {
  const index = indexOf(root);
  return types.flatMap((type) => (index.byType.get(type) ?? []) as Extract<Node, { type: T }>[]);
}

/**
 * The chain of nodes above `node` in the tree `root`, nearest last: found by descending through the
 * children whose range holds it, so no parent map has to be kept for every node of every file.
 */
export function ancestorsOf(root: Node, node: Node): Node[] {
  const chain: Node[] = [];
  const start = node.start ?? 0;
  const end = node.end ?? 0;
  let current: Node | undefined = root;
  while (current !== undefined && current !== node) {
    chain.push(current);
    current = children(current).find(
      (child) => child === node || ((child.start ?? 0) <= start && end <= (child.end ?? 0) && child !== current),
    );
  }
  return current === node ? chain : [];
}

/** The nearest function around a node, if any. */
export function enclosingFunction(root: Node, node: Node): FunctionNode | undefined {
  return ancestorsOf(root, node).reverse().find(isFunction);
}
