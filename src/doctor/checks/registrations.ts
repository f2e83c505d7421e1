import type { CallExpression, Node } from '@babel/types';
import type { ParsedSource } from '../project.js';
import { calleeName, dottedName, keyName, nodesOf, objectKeys, staticString } from '../syntax.js';

/** `require('pkg')`, `import('pkg')` or `await import('pkg')`: the package a call loads, if it is one of these. */
function loadedPackage(node: Node | null | undefined): string | undefined {
  if (node == null) return undefined;
  if (node.type === 'AwaitExpression') return loadedPackage(node.argument);
  if (node.type === 'MemberExpression' && dottedName(node)?.endsWith('.default')) return loadedPackage(node.object);
  if (node.type === 'CallExpression' && (calleeName(node) === 'require' || node.callee.type === 'Import')) {
    return staticString(node.arguments[0]);
  }
  if (node.type === 'ImportExpression') return staticString(node.source);
  return undefined;
}

/** The local names a file gives a package's default export (import, require, import()). */
export function namesOf(file: ParsedSource, packageName: string): Set<string> {
  const names = new Set<string>();
  for (const node of nodesOf(file.tree, 'ImportDeclaration')) {
    if (node.source.value !== packageName) continue;
    for (const specifier of node.specifiers) {
      if (specifier.type === 'ImportDefaultSpecifier' || specifier.type === 'ImportNamespaceSpecifier') {
        names.add(specifier.local.name);
      } else if (keyName(specifier.imported) === 'default') names.add(specifier.local.name);
    }
  }
  for (const node of nodesOf(file.tree, 'VariableDeclarator')) {
    if (node.id.type === 'Identifier' && loadedPackage(node.init) === packageName) names.add(node.id.name);
  }
  return names;
}

/** Is this the package itself: one of its local names, or an inline require/import of it? */
export function isPackage(node: Node | undefined, names: Set<string>, packageName: string): boolean {
  if (node === undefined) return false;
  if (node.type === 'Identifier') return names.has(node.name);
  return loadedPackage(node) === packageName;
}

/** `app.register(plugin, options?)` calls of a package's plugin, with the options object if literal. */
export function registrations(
  file: ParsedSource,
  packageName: string,
): { call: CallExpression; options: Node | undefined }[] {
  const names = namesOf(file, packageName);
  return nodesOf(file.tree, 'CallExpression').flatMap((call) => {
    if (calleeName(call) !== 'register' || call.callee.type !== 'MemberExpression') return [];
    const [plugin, options] = call.arguments;
    if (!isPackage(plugin, names, packageName)) return [];
    return [{ call, options: options ?? undefined }];
  });
}

/** `name(options?)` calls of a package's default export (`cors()`, `session({…})`). */
export function callsOf(
  file: ParsedSource,
  packageName: string,
): { call: CallExpression; options: Node | undefined }[] {
  const names = namesOf(file, packageName);
  return nodesOf(file.tree, 'CallExpression').flatMap((call) =>
    isPackage(call.callee, names, packageName) ? [{ call, options: call.arguments[0] ?? undefined }] : [],
  );
}

/** Options known to lack a key: none given, or an object literal without it and without `...spread`. */
export function lacksOption(options: Node | undefined, key: string): boolean {
  if (options === undefined) return true;
  const object = objectKeys(options);
  return object !== undefined && !object.spread && !object.keys.has(key);
}
