import type { Node } from '@babel/types';
import type { ParsedSource, Project, SourceFile } from '../project.js';
import { ancestorsOf, calleeName, dottedName, isFunction, nodesOf, staticString, walk } from '../syntax.js';
import { shippedSources } from './helpers.js';

/** Calls that run the SQL text they are given: pg/mysql `query`, `execute`, knex/Prisma/Sequelize raw forms. */
const RUNS_SQL = new Set(['query', 'execute', 'raw', 'whereRaw', 'orderByRaw', '$queryRawUnsafe', '$executeRawUnsafe']);
const SQL_WORDS =
  /\b(?:select|insert\s+into|update|delete\s+from|from|where|values|like|order\s+by|group\s+by|limit|offset|join|set)\b/i;
/** Values of the request, as Express, Fastify, Koa and Hono name them. */
const REQUEST_VALUE =
  /^(?:req|request)\.(?:query|params|body|headers|cookies)\b|^ctx\.(?:request|query|params)\b|^c\.req\b/;

/** SQL text built from values in one file, found on its tree. */
export interface SqlFact {
  /** Where the text is put together: the template, the `+` or the `+=`. */
  index: number;
  how: 'template' | 'plus' | 'append';
  /** The request value that flows into it in the same function, if one does. */
  requestValue: string | undefined;
}

export interface BuiltSql extends SqlFact {
  file: SourceFile;
}

/** A value fixed in the code: a literal, or a `const` of literals (`${TIMEOUT_MS / 1000}`), read a few levels deep. */
function isConstant(file: ParsedSource, node: Node, depth = 0): boolean {
  if (depth > 4) return false;
  switch (node.type) {
    case 'NumericLiteral':
    case 'StringLiteral':
    case 'BooleanLiteral':
      return true;
    case 'TemplateLiteral':
      return node.expressions.every((expression) => isConstant(file, expression, depth + 1));
    case 'UnaryExpression':
      return isConstant(file, node.argument, depth + 1);
    case 'BinaryExpression':
      return (
        node.left.type !== 'PrivateName' &&
        isConstant(file, node.left, depth + 1) &&
        isConstant(file, node.right, depth + 1)
      );
    case 'Identifier':
      return nodesOf(file.tree, 'VariableDeclaration').some(
        (declaration) =>
          declaration.kind === 'const' &&
          declaration.declarations.some(
            (declarator) =>
              declarator.id.type === 'Identifier' &&
              declarator.id.name === node.name &&
              declarator.init != null &&
              isConstant(file, declarator.init, depth + 1),
          ),
      );
    default:
      return false;
  }
}

/** How an expression builds text from values, with the values it splices in; undefined for fixed text. */
function building(
  file: ParsedSource,
  node: Node,
): { how: BuiltSql['how']; values: Node[]; texts: string[] } | undefined {
  if (node.type === 'TemplateLiteral' && node.expressions.length > 0) {
    const values = node.expressions.filter((expression) => !isConstant(file, expression));
    if (values.length === 0) return undefined;
    return { how: 'template', values, texts: node.quasis.map((quasi) => quasi.value.cooked ?? '') };
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const operands: Node[] = [];
    const flatten = (part: Node) => {
      if (part.type === 'BinaryExpression' && part.operator === '+') {
        flatten(part.left);
        flatten(part.right);
      } else operands.push(part);
    };
    flatten(node);
    const texts = operands.map(staticString).filter((text): text is string => text !== undefined);
    const values = operands.filter((operand) => staticString(operand) === undefined && !isConstant(file, operand));
    if (texts.length === 0 || values.length === 0) return undefined;
    return { how: 'plus', values, texts };
  }
  return undefined;
}

/** The functions around a node, nearest first, then the whole file: where its variables are set. */
function scopesOf(file: ParsedSource, node: Node): Node[] {
  return [...ancestorsOf(file.tree, node).filter(isFunction).reverse(), file.tree.program];
}

/** Each value given to a variable in the scope: `const v = …`, `v = …`, `v += …`. */
function assignmentsTo(scope: Node, name: string): { node: Node; value: Node; append: boolean }[] {
  const found: { node: Node; value: Node; append: boolean }[] = [];
  walk(scope, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === name && node.init) {
      found.push({ node, value: node.init, append: false });
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.left.name === name) {
      if (node.operator === '=' || node.operator === '+=') {
        found.push({ node, value: node.right, append: node.operator === '+=' });
      }
    }
  });
  return found;
}

const names = (pattern: Node): string[] => {
  if (pattern.type === 'Identifier') return [pattern.name];
  if (pattern.type === 'ObjectPattern') {
    return pattern.properties.flatMap((property) =>
      property.type === 'RestElement' ? names(property.argument) : names(property.value),
    );
  }
  if (pattern.type === 'ArrayPattern') return pattern.elements.flatMap((element) => (element ? names(element) : []));
  if (pattern.type === 'AssignmentPattern') return names(pattern.left);
  return [];
};

/** The request value an expression carries, directly or through the variables of the scope. */
function requestValueIn(value: Node, tainted: Map<string, string>): string | undefined {
  let found: string | undefined;
  walk(value, (node) => {
    if (found !== undefined) return;
    const name = dottedName(node);
    if (name === undefined) return;
    const match = REQUEST_VALUE.exec(name);
    if (match) found = match[0];
    else if (node.type === 'Identifier') found = tainted.get(node.name);
  });
  return found;
}

/** The variables of a scope that hold request values (`const { title } = req.query`), to a fixed point. */
function taintedVariables(scope: Node): Map<string, string> {
  const tainted = new Map<string, string>();
  const declarators = nodesOf(scope, 'VariableDeclarator');
  for (let changed = true; changed; ) {
    changed = false;
    for (const declarator of declarators) {
      if (!declarator.init) continue;
      const source = requestValueIn(declarator.init, tainted);
      if (source === undefined) continue;
      for (const name of names(declarator.id)) {
        if (!tainted.has(name)) {
          tainted.set(name, source);
          changed = true;
        }
      }
    }
  }
  return tainted;
}

interface Built {
  node: Node;
  how: BuiltSql['how'];
  values: Node[];
  texts: string[];
}

/** What the first argument of a query call is built from: inline, or through the variable it names. */
function builtArgument(file: ParsedSource, argument: Node): Built[] {
  const inline = building(file, argument);
  if (inline !== undefined) return [{ node: argument, ...inline }];
  if (argument.type !== 'Identifier') return [];
  const scope = scopesOf(file, argument).find((candidate) => assignmentsTo(candidate, argument.name).length > 0);
  if (scope === undefined) return [];
  const assignments = assignmentsTo(scope, argument.name);
  const texts = assignments.flatMap((assignment) => {
    const text = staticString(assignment.value);
    return text === undefined ? (building(file, assignment.value)?.texts ?? []) : [text];
  });
  return assignments.flatMap((assignment): Built[] => {
    const built = building(file, assignment.value);
    if (assignment.append && !isConstant(file, assignment.value)) {
      // `sql += x` or `sql += \`… ${x}\``: the variable's own text tells whether it is SQL.
      return [
        {
          node: assignment.node,
          how: 'append',
          values: built?.values ?? [assignment.value],
          texts: [...texts, ...(built?.texts ?? [])],
        },
      ];
    }
    return built === undefined ? [] : [{ node: assignment.value, ...built, texts: [...texts, ...built.texts] }];
  });
}

/** SQL text built from values that reaches a call that runs it, with the request value that flows in. */
export function builtSql(project: Project): BuiltSql[] {
  return shippedSources(project).flatMap((file) => file.facts.sql.map((fact) => ({ file, ...fact })));
}

/** The SQL of one file built from values that reaches a call that runs it. */
export function sqlBuiltIn(file: ParsedSource): SqlFact[] {
  const found: SqlFact[] = [];
  for (const call of nodesOf(file.tree, 'CallExpression')) {
    if (!RUNS_SQL.has(calleeName(call) ?? '')) continue;
    const argument = call.arguments[0];
    if (argument === undefined || argument.type === 'SpreadElement' || argument.type === 'ArgumentPlaceholder') {
      continue;
    }
    for (const built of builtArgument(file, argument)) {
      if (!SQL_WORDS.test(built.texts.join(' '))) continue;
      const scope = scopesOf(file, call)[0] as Node;
      const tainted = taintedVariables(scope);
      const requestValue = built.values
        .map((value) => requestValueIn(value, tainted))
        .find((value) => value !== undefined);
      found.push({ index: built.node.start ?? 0, how: built.how, requestValue });
    }
  }
  return found;
}
