import { AjvCompiler, type Options } from '@fastify/ajv-compiler';

const fromPool = AjvCompiler();

/**
 * Fastify's Ajv coerces types, which a query string needs (`?limit=10` is text) and a JSON body
 * must not get: it would take 12.5 for a decimal's "12.5", "1" or true for 1, and null for 0 or
 * false. Bodies are validated as sent; params, query strings and headers are coerced.
 */
export const buildValidator: typeof fromPool = (externalSchemas, options) => {
  const coercing = fromPool(externalSchemas, options);
  const customOptions: Options = { ...options?.customOptions, coerceTypes: false };
  const { plugins, onCreate } = options ?? {};
  const exact = fromPool(externalSchemas, { plugins, onCreate, customOptions });
  return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
};
