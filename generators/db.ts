import type { Feature, SnippetData } from './feature.js';
import { tcpProxy } from './tcp-proxy.js';

/** What every database shares: the `db:migrate` script. Pulled in by each database value. */
export const database: Feature = {
  id: 'db',
};

/**
 * What the server databases (PostgreSQL, MySQL) share: the pooled database plugin with its
 * readiness check, the migration entry point, and the read-replica test.
 */
export const databaseServer: Feature = {
  id: 'db-server',
  uses: [database, tcpProxy],
  snippets: [{ place: 'schemaImports', text: schemaImport }],
};

/**
 * The schema's import of its column types: the common ones, the dialect's own, and those the
 * tables of the chosen credentials use; on one line when it fits, as the formatter writes it.
 */
function schemaImport({ dialect, has }: SnippetData): string {
  if (dialect === undefined) throw new Error('db-server is rendered without a SQL dialect');
  const names = ['customType', 'index', dialect.table, 'text', 'varchar', ...dialect.columns];
  // Owners' names are unique per owner; the users' refresh tokens have a revoked flag.
  if (has.auth) names.push('unique');
  if (has.authJwt) names.push('boolean');
  names.sort();
  const line = `import { ${names.join(', ')} } from '${dialect.core}';`;
  return line.length <= 100
    ? line
    : `import {\n${names.map((name) => `  ${name},\n`).join('')}} from '${dialect.core}';`;
}
