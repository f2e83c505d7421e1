import type { Node } from '@babel/types';
import type { ParsedSource } from '../project.js';
import {
  calleeName,
  dottedName,
  type FunctionNode,
  findAll,
  isFunction,
  keyName,
  nodesOf,
  propertyName,
} from '../syntax.js';

/** The code that turns errors into responses, found by its shape on the syntax tree. */
export interface ErrorHandler {
  file: ParsedSource;
  kind: 'middleware' | 'setErrorHandler' | 'onError' | 'koa' | 'nest' | 'routing-controllers';
  /** The code that answers: the function's body or the catch clause; undefined when defined out of sight. */
  body: Node | undefined;
  /** The name the error has in that code. */
  errorName: string | undefined;
  /** A Nest filter that catches only HttpException-like errors, whose messages are written for clients. */
  clientErrorsOnly: boolean;
}

const ERROR_NAME = /^_?(?:err|error|e|ex|exception)$/i;
const ERROR_TYPE = /\b(?:\w*Error|\w*Exception|any|unknown)\b/;
const CLIENT_EXCEPTIONS =
  /^(?:HttpException|HttpError|BadRequest\w*|NotFound\w*|Unauthorized\w*|Forbidden\w*|Conflict\w*|UnprocessableEntity\w*|\w*ValidationError)$/;

function paramName(param: Node | undefined): string | undefined {
  if (param === undefined) return undefined;
  if (param.type === 'Identifier') return param.name;
  if (param.type === 'AssignmentPattern') return paramName(param.left);
  if (param.type === 'TSParameterProperty') return paramName(param.parameter);
  return undefined;
}

function paramType(file: ParsedSource, param: Node | undefined): string {
  const annotation = param !== undefined && 'typeAnnotation' in param ? param.typeAnnotation : undefined;
  return annotation ? file.text.slice(annotation.start ?? 0, annotation.end ?? 0) : '';
}

/** `(err, req, res, next)` whatever its commas and types; routing-controllers' `error(error, req, res, next)`. */
function fourParameterHandler(file: ParsedSource, fn: FunctionNode): ErrorHandler | undefined {
  if (fn.params.length !== 4) return undefined;
  const first = fn.params[0];
  const name = paramName(first);
  const method = fn.type === 'ClassMethod' && keyName(fn.key) === 'error';
  if (name === undefined || !(method || ERROR_NAME.test(name) || ERROR_TYPE.test(paramType(file, first)))) {
    return undefined;
  }
  return {
    file,
    kind: method ? 'routing-controllers' : 'middleware',
    body: fn.body,
    errorName: name,
    clientErrorsOnly: false,
  };
}

/** The function a name stands for in this file: a declaration or `const name = (…) => …`. */
function functionNamed(file: ParsedSource, name: string): FunctionNode | undefined {
  for (const node of nodesOf(file.tree, 'FunctionDeclaration')) if (node.id?.name === name) return node;
  for (const node of nodesOf(file.tree, 'VariableDeclarator')) {
    if (node.id.type === 'Identifier' && node.id.name === name && node.init && isFunction(node.init)) return node.init;
  }
  return undefined;
}

/** `app.setErrorHandler(fn)` (Fastify) and `app.onError(fn)` (Hono), fn inline or named in the file. */
function registeredHandlers(file: ParsedSource): ErrorHandler[] {
  return nodesOf(file.tree, 'CallExpression').flatMap((call): ErrorHandler[] => {
    const method = call.callee.type === 'MemberExpression' ? propertyName(call.callee) : undefined;
    if (method !== 'setErrorHandler' && method !== 'onError') return [];
    const argument = call.arguments[0];
    const fn =
      argument === undefined
        ? undefined
        : isFunction(argument)
          ? argument
          : argument.type === 'Identifier'
            ? functionNamed(file, argument.name)
            : undefined;
    return [{ file, kind: method, body: fn?.body, errorName: paramName(fn?.params[0]), clientErrorsOnly: false }];
  });
}

/** Nest exception filters: a class decorated with @Catch(…), answered by its catch(exception, host). */
function nestFilters(file: ParsedSource): ErrorHandler[] {
  return nodesOf(file.tree, 'ClassDeclaration', 'ClassExpression').flatMap((cls): ErrorHandler[] => {
    const decorator = cls.decorators?.find(
      (d) => d.expression.type === 'CallExpression' && calleeName(d.expression) === 'Catch',
    );
    if (decorator === undefined || decorator.expression.type !== 'CallExpression') return [];
    const caught = decorator.expression.arguments.map((arg) => dottedName(arg) ?? '');
    const method = cls.body.body.find((member) => member.type === 'ClassMethod' && keyName(member.key) === 'catch');
    const fn = method?.type === 'ClassMethod' ? method : undefined;
    return [
      {
        file,
        kind: 'nest',
        body: fn?.body,
        errorName: paramName(fn?.params[0]),
        clientErrorsOnly: caught.length > 0 && caught.every((name) => CLIENT_EXCEPTIONS.test(name)),
      },
    ];
  });
}

const awaitsNext = (node: Node) =>
  node.type === 'AwaitExpression' &&
  node.argument.type === 'CallExpression' &&
  node.argument.callee.type === 'Identifier' &&
  node.argument.callee.name === 'next';

/** Koa: `try { await next() } catch (err) { ctx.status = …; ctx.body = … }`. */
function koaHandlers(file: ParsedSource): ErrorHandler[] {
  return nodesOf(file.tree, 'TryStatement').flatMap((statement): ErrorHandler[] => {
    const handler = statement.handler;
    if (handler === null || handler === undefined) return [];
    if (findAll(statement.block, (node): node is Node => awaitsNext(node)).length === 0) return [];
    const answers = findAll(handler.body, (node): node is Node => {
      if (node.type !== 'AssignmentExpression') return false;
      return /^ctx\.(?:body|status)$/.test(dottedName(node.left) ?? '');
    });
    if (answers.length === 0) return [];
    return [
      {
        file,
        kind: 'koa',
        body: handler.body,
        errorName: paramName(handler.param ?? undefined),
        clientErrorsOnly: false,
      },
    ];
  });
}

/** The error handlers of one app file; a function both registered and of four parameters is one handler. */
export function handlersIn(file: ParsedSource): ErrorHandler[] {
  const fourParameters = nodesOf(
    file.tree,
    'FunctionDeclaration',
    'FunctionExpression',
    'ArrowFunctionExpression',
    'ClassMethod',
    'ObjectMethod',
  ).flatMap((fn) => fourParameterHandler(file, fn) ?? []);
  const handlers = [...registeredHandlers(file), ...fourParameters, ...nestFilters(file), ...koaHandlers(file)];
  const seen = new Set<Node>();
  return handlers.filter((handler) => {
    if (handler.body === undefined) return true;
    if (seen.has(handler.body)) return false;
    seen.add(handler.body);
    return true;
  });
}
