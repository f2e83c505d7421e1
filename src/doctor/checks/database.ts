import { type Evidence, missing, type StaticCheck } from '../findings.js';
import type { TextFile } from '../project.js';
import { closingBracket, lineCounter } from '../source.js';
import { evidenceOf, firstImport, type Match, matchAll, shippedSources } from './helpers.js';
import { type BuiltSql, builtSql } from './sql.js';

const SQL_PACKAGES = [
  'pg',
  'postgres',
  'mysql',
  'mysql2',
  'mariadb',
  'better-sqlite3',
  'sqlite3',
  '@libsql/client',
  'knex',
  'sequelize',
  'typeorm',
  '@prisma/client',
  'drizzle-orm',
  'kysely',
  '@mikro-orm/core',
  'objection',
];
// InnoDB creates an index for every foreign key by itself.
const INDEXES_FOREIGN_KEYS = ['mysql', 'mysql2', 'mariadb'];
const MIGRATION_PACKAGES = ['umzug', 'node-pg-migrate', 'db-migrate', 'postgres-migrations', '@mikro-orm/migrations'];

const SQL_FIX =
  'Pass values as parameters ($1 or ? placeholders, the query builder, or a tagged sql`…` template); never splice them into the SQL text.';
const HOW: Record<BuiltSql['how'], string> = {
  template: 'SQL in a template literal with interpolated values',
  plus: 'SQL glued to a value with +',
  append: 'SQL extended with += by a value',
};

function asMatch(built: BuiltSql): Match {
  const from = built.requestValue === undefined ? '' : `, from ${built.requestValue}`;
  return { file: built.file, index: built.index, text: `${HOW[built.how]}${from}` };
}

interface ForeignKey {
  table: string;
  columns: string[];
  file: string;
  line: number;
}

interface Schema {
  foreignKeys: ForeignKey[];
  /** Per table, the column lists of its indexes, primary keys and unique constraints. */
  indexes: Map<string, string[][]>;
}

const unquote = (raw: string) => (raw.trim().split('.').pop() ?? '').replace(/^[`"[]|[`"\]]$/g, '').toLowerCase();
const columnList = (raw: string) => raw.split(',').map((part) => unquote(part.trim().split(/\s+/)[0] ?? ''));

function blankSqlComments(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length))
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
}

function splitTopLevel(body: string): { text: string; offset: number }[] {
  const parts: { text: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push({ text: body.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  parts.push({ text: body.slice(start), offset: start });
  return parts;
}

/** Foreign keys and indexes declared by SQL migrations, in file order. */
export function sqlSchema(files: TextFile[]): Schema {
  const schema: Schema = { foreignKeys: [], indexes: new Map() };
  const addIndex = (table: string, columns: string[]) => {
    const list = schema.indexes.get(table) ?? [];
    list.push(columns);
    schema.indexes.set(table, list);
  };
  for (const file of files) {
    const sql = blankSqlComments(file.text);
    const lineOf = lineCounter(sql);
    const addKey = (table: string, columns: string[], index: number) =>
      schema.foreignKeys.push({ table, columns, file: file.path, line: lineOf(index) });

    for (const match of sql.matchAll(
      /create\s+(?:(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?([^\s(]+)\s*\(/gi,
    )) {
      const table = unquote(match[1] ?? '');
      const open = match.index + match[0].length - 1;
      const body = sql.slice(open + 1, closingBracket(sql, open) - 1);
      for (const { text, offset } of splitTopLevel(body)) {
        const item = text.trim();
        const where = open + 1 + offset + text.indexOf(item);
        const foreign = /^(?:constraint\s+\S+\s+)?foreign\s+key\s*\(([^)]*)\)\s*references\b/i.exec(item);
        const keyed =
          /^(?:constraint\s+\S+\s+)?(?:primary\s+key|unique(?:\s+(?:key|index))?(?:\s+[^\s(]+)?|(?:key|index)(?:\s+[^\s(]+)?)\s*\(([^)]*)\)/i.exec(
            item,
          );
        if (foreign) addKey(table, columnList(foreign[1] ?? ''), where);
        else if (keyed) addIndex(table, columnList(keyed[1] ?? ''));
        else {
          const column = unquote(item.split(/\s+/)[0] ?? '');
          if (/\breferences\b/i.test(item)) addKey(table, [column], where);
          if (/\bprimary\s+key\b|\bunique\b/i.test(item)) addIndex(table, [column]);
        }
      }
    }

    for (const match of sql.matchAll(/alter\s+table\s+(?:only\s+)?(?:if\s+exists\s+)?([^\s]+)\s+([^;]*)/gi)) {
      const table = unquote(match[1] ?? '');
      const action = match[2] ?? '';
      const foreign = /foreign\s+key\s*\(([^)]*)\)\s*references\b/i.exec(action);
      const keyed = /add\s+(?:constraint\s+\S+\s+)?(?:primary\s+key|unique)\s*\(([^)]*)\)/i.exec(action);
      const column = /add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?([^\s(]+)\s[^,]*\breferences\b/i.exec(action);
      if (foreign) addKey(table, columnList(foreign[1] ?? ''), match.index);
      else if (column) addKey(table, [unquote(column[1] ?? '')], match.index);
      if (keyed) addIndex(table, columnList(keyed[1] ?? ''));
    }

    for (const match of sql.matchAll(
      /create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:[^\s(]+\s+)?on\s+(?:only\s+)?([^\s(]+)\s*(?:using\s+\w+\s*)?\(([^)]*)\)/gi,
    )) {
      addIndex(unquote(match[1] ?? ''), columnList(match[2] ?? ''));
    }
  }
  return schema;
}

/** Foreign keys and indexes of a Prisma schema. */
export function prismaSchema(files: TextFile[]): Schema {
  const schema: Schema = { foreignKeys: [], indexes: new Map() };
  for (const file of files) {
    const lineOf = lineCounter(file.text);
    for (const model of file.text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
      const table = (model[1] ?? '').toLowerCase();
      const bodyStart = model.index + model[0].indexOf('{') + 1;
      const indexes: string[][] = [];
      for (const line of (model[2] ?? '').matchAll(/^[ \t]*(\S[^\n]*)$/gm)) {
        const text = line[1] ?? '';
        const field = (text.split(/\s+/)[0] ?? '').toLowerCase();
        const relation = /@relation\([^)]*fields:\s*\[([^\]]*)\]/.exec(text);
        if (relation) {
          schema.foreignKeys.push({
            table,
            columns: columnList(relation[1] ?? ''),
            file: file.path,
            line: lineOf(bodyStart + line.index),
          });
        }
        if (/@id\b|@unique\b/.test(text) && !text.startsWith('@@')) indexes.push([field]);
        const block = /^@@(?:index|unique|id)\(\s*(?:fields:\s*)?\[([^\]]*)\]/.exec(text);
        if (block) indexes.push(columnList((block[1] ?? '').replace(/\([^)]*\)/g, '')));
      }
      schema.indexes.set(table, indexes);
    }
  }
  return schema;
}

/** Foreign keys no index leads with: deleting a parent row, or joining, scans the whole child table. */
export function unindexedForeignKeys(schema: Schema): ForeignKey[] {
  return schema.foreignKeys.filter((key) => {
    const wanted = new Set(key.columns);
    return !(schema.indexes.get(key.table) ?? []).some(
      (columns) => columns.length >= wanted.size && columns.slice(0, wanted.size).every((column) => wanted.has(column)),
    );
  });
}

export const databaseChecks: StaticCheck[] = [
  {
    id: 'sql-injection',
    mistake: 2,
    run(project) {
      const found = builtSql(project).filter((built) => built.requestValue !== undefined);
      if (found.length === 0) return undefined;
      return {
        severity: 'high',
        title: 'SQL injection: request values spliced into SQL text',
        evidence: evidenceOf(found.map(asMatch), (match) => match.text),
        fix: SQL_FIX,
      };
    },
  },
  {
    id: 'sql-built',
    mistake: 2,
    run(project) {
      const found = builtSql(project).filter((built) => built.requestValue === undefined);
      if (found.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'SQL built from values by string concatenation or template literals',
        evidence: evidenceOf(found.map(asMatch), (match) => match.text),
        fix: SQL_FIX,
      };
    },
  },
  {
    id: 'migrations',
    mistake: 2,
    claimsAbsence: true,
    run(project) {
      const client = SQL_PACKAGES.find((name) => name in project.dependencies);
      if (client === undefined) return undefined;
      const hasFiles = project.files.some(
        (file) =>
          /(?:^|\/)(?:migrations?|migrate)\/[^/]+$/.test(file) ||
          /(?:^|\/)drizzle\/meta\/_journal\.json$/.test(file) ||
          /(?:^|\/)prisma\/migrations\//.test(file),
      );
      if (hasFiles || firstImport(project, MIGRATION_PACKAGES)) return undefined;
      return {
        severity: 'medium',
        title: 'A SQL database without versioned migrations',
        evidence: [missing(`${client} is a dependency, but there is no migrations folder or migration tool`)],
        fix: 'Keep the schema in versioned migration files applied by a script (drizzle-kit, prisma migrate, knex migrate, node-pg-migrate) and commit them.',
      };
    },
  },
  {
    id: 'schema-sync',
    mistake: 2,
    run(project) {
      const found = matchAll(
        shippedSources(project),
        /\bsynchronize\s*:\s*true\b|\.sync\(\s*\{[^}]*\b(?:alter|force)\s*:\s*true/,
      );
      if (found.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'The ORM rewrites the schema at start instead of running migrations',
        evidence: evidenceOf(found, (match) => `${match.text.replace(/\s+/g, ' ')} changes tables on every start`),
        fix: 'Turn schema synchronisation off and apply versioned migrations before the new version starts.',
      };
    },
  },
  {
    id: 'foreign-key-index',
    mistake: 2,
    run(project) {
      if (INDEXES_FOREIGN_KEYS.some((name) => name in project.allDependencies)) return undefined;
      const sql = project.texts.filter((file) => file.path.endsWith('.sql'));
      let schema = sqlSchema(sql);
      if (schema.foreignKeys.length === 0) {
        schema = prismaSchema(project.texts.filter((file) => file.path.endsWith('.prisma')));
      }
      const unindexed = unindexedForeignKeys(schema);
      if (unindexed.length === 0) return undefined;
      const evidence: Evidence[] = unindexed.map((key) => ({
        file: key.file,
        line: key.line,
        detail: `${key.table}(${key.columns.join(', ')}) is a foreign key no index starts with`,
      }));
      return {
        severity: 'medium',
        title: 'Foreign keys without an index',
        evidence,
        fix: 'Add an index whose first columns are the foreign key (CREATE INDEX … ON child (parent_id)); joins and parent deletes otherwise scan the child table.',
      };
    },
  },
];
