import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The edits a generated project gets on its first day, made the way a person makes them: a
 * plugin of their own registered in `src/app.ts`, a variable in `src/config.ts` and
 * `.env.example`, a field on the items module down to its own migration, a paragraph in the
 * README and a dependency in `package.json`. The tests of `add`, `remove` and `upgrade` apply
 * them first, then check with `missing` that every one of them is still there.
 */

/** One edit: the file, and the texts it leaves in it (each must survive whatever the tool does). */
export interface Edit {
  file: string;
  texts: string[];
}

export interface TypicalEdits {
  edits: Edit[];
  /** `file: text` for every edited text no longer in `dir` (empty when all of them are). */
  missing(dir: string): string[];
}

type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** The user's own plugin: tells each client how long its request took. */
const plugin = `import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface ResponseTimeOptions {
  /** The response header that carries the time taken, in milliseconds. */
  header: string;
}

/** Adds the time each request took to its response, for the team's dashboards. */
async function responseTime(fastify: FastifyInstance, { header }: ResponseTimeOptions) {
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header(header, reply.elapsedTime.toFixed(1));
  });
}

export default fp(responseTime, { name: 'response-time' });
`;

const registration = '  await fastify.register(responseTime, { header: config.RESPONSE_TIME_HEADER });\n';
const pluginImport = "import responseTime from './plugins/response-time.js';\n";

const configEntry = `  // Our own: the header plugins/response-time.ts writes.
  RESPONSE_TIME_HEADER: Type.String({
    pattern: '^[a-z][a-z0-9-]*$',
    default: 'x-response-time',
    description: 'a lower-case header name',
  }),
`;

const envBlock =
  '# Header that carries how long a request took (our plugins/response-time.ts)\nRESPONSE_TIME_HEADER=x-response-time\n';

const readme = `Team notes: run \`npm run dev\` with \`LOG_LEVEL=debug\` when chasing a slow request; every
response says how long it took in its \`x-response-time\` header.
`;

const dependency: [string, string] = ['ms', '^2.1.3'];

/** The priority column, in each dialect's Drizzle builder. */
const column: Record<Dialect, { builder: string; line: string }> = {
  sqlite: { builder: 'integer', line: "    priority: integer('priority').notNull().default(0),\n" },
  postgres: { builder: 'integer', line: "    priority: integer('priority').notNull().default(0),\n" },
  mysql: { builder: 'int', line: "    priority: int('priority').notNull().default(0),\n" },
};

/** What `drizzle-kit generate` writes for the column: the SQL and the snapshot's column entry. */
const migration: Record<Dialect, { sql: string; column: object }> = {
  sqlite: {
    sql: 'ALTER TABLE `items` ADD `priority` integer DEFAULT 0 NOT NULL;',
    column: { name: 'priority', type: 'integer', primaryKey: false, notNull: true, autoincrement: false, default: 0 },
  },
  postgres: {
    sql: 'ALTER TABLE "items" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;',
    column: { name: 'priority', type: 'integer', primaryKey: false, notNull: true, default: 0 },
  },
  mysql: {
    sql: 'ALTER TABLE `items` ADD `priority` int DEFAULT 0 NOT NULL;',
    column: { name: 'priority', type: 'int', primaryKey: false, notNull: true, autoincrement: false, default: 0 },
  },
};

const migrationTag = '0001_item_priority';

/** Replaces the one occurrence of `find` in `text`; throws when there is none or more than one. */
function replaceOnce(file: string, text: string, find: string | RegExp, by: (found: string) => string): string {
  const pattern = typeof find === 'string' ? new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : find;
  const found = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
  if (found.length !== 1) throw new Error(`${file}: expected one ${pattern}, found ${found.length}`);
  return text.replace(new RegExp(pattern.source, pattern.flags.replace('g', '')), by);
}

/** Applies every typical edit to the generated project in `dir`. */
export function applyTypicalEdits(dir: string): TypicalEdits {
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
  const edit = (file: string, change: (text: string) => string) => write(file, change(read(file)));
  const manifest = JSON.parse(read('sound-backend.json')) as { options: { db: Dialect } };
  const dialect = manifest.options.db;
  const edits: Edit[] = [];

  // 1. A plugin of the user's own, imported in order and registered after the request id.
  write('src/plugins/response-time.ts', plugin);
  edits.push({ file: 'src/plugins/response-time.ts', texts: [plugin] });
  edit('src/app.ts', (text) =>
    replaceOnce('src/app.ts', text, /^import requestId.*\n/m, (line) => `${line}${pluginImport}`),
  );
  edit('src/app.ts', (text) =>
    replaceOnce('src/app.ts', text, '  await fastify.register(requestId);\n', (line) => `${line}${registration}`),
  );
  edits.push({ file: 'src/app.ts', texts: [pluginImport, registration] });

  // 2. A variable of their own: the last entry of the schema, and a block of .env.example.
  edit('src/config.ts', (text) =>
    replaceOnce('src/config.ts', text, /^\}\);\n\ntype Env = /m, (end) => `${configEntry}${end}`),
  );
  edits.push({ file: 'src/config.ts', texts: [configEntry] });
  edit('.env.example', (text) => `${text}\n${envBlock}`);
  edits.push({ file: '.env.example', texts: [envBlock] });
  // The test of the documented defaults, which lists every variable.
  const defaultValue = "      RESPONSE_TIME_HEADER: 'x-response-time',\n";
  edit('test/config.test.ts', (text) =>
    replaceOnce(
      'config.test.ts',
      text,
      /^ {6}LOAD_SHED_EVENT_LOOP_DELAY_MS: 1000,\n/m,
      (found) => `${found}${defaultValue}`,
    ),
  );
  edits.push({ file: 'test/config.test.ts', texts: [defaultValue] });

  // 3. A field of the items module: table, schemas, repository, routes, tests and a migration.
  const { builder, line } = column[dialect];
  edit('src/db/schema.ts', (text) => {
    const withBuilder = replaceOnce(
      'src/db/schema.ts',
      text,
      /^import \{([^}]*)\} from 'drizzle-orm\/[a-z]+-core';\n/m,
      (statement) => {
        const names = statement
          .replace(/^import \{([^}]*)\}.*\n$/s, '$1')
          .split(',')
          .map((name) => name.trim());
        if (names.includes(builder)) return statement;
        const sorted = [...names.filter((name) => name !== ''), builder].sort();
        const from = / from '[^']+';\n$/.exec(statement)?.[0] ?? '';
        const oneLine = `import { ${sorted.join(', ')} }${from}`;
        return oneLine.length <= 101 ? oneLine : `import {\n${sorted.map((name) => `  ${name},\n`).join('')}}${from}`;
      },
    );
    // The items table's description column (the users table has none).
    return replaceOnce(
      'src/db/schema.ts',
      withBuilder,
      /^ {4}description: [a-z]+\('description'\).*\n/m,
      (found) => `${found}${line}`,
    );
  });
  edits.push({ file: 'src/db/schema.ts', texts: [line] });

  const priority =
    '// Our own: 0 (the default) to 10, higher first in the team dashboard.\nconst Priority = Type.Integer({ minimum: 0, maximum: 10 });\n';
  edit('src/modules/items/schemas.ts', (text) => {
    let next = replaceOnce('schemas.ts', text, /^const Description = .*\n/m, (found) => `${found}${priority}`);
    next = replaceOnce(
      'schemas.ts',
      next,
      '  description: Description,\n',
      (found) => `${found}  priority: Priority,\n`,
    );
    next = replaceOnce(
      'schemas.ts',
      next,
      '  { name: Name, description: Type.Optional(Description) },\n',
      () => '  { name: Name, description: Type.Optional(Description), priority: Type.Optional(Priority) },\n',
    );
    return replaceOnce(
      'schemas.ts',
      next,
      '  { name: Type.Optional(Name), description: Type.Optional(Description) },\n',
      () =>
        '  {\n    name: Type.Optional(Name),\n    description: Type.Optional(Description),\n    priority: Type.Optional(Priority),\n  },\n',
    );
  });
  edits.push({
    file: 'src/modules/items/schemas.ts',
    texts: [
      priority,
      '  priority: Priority,\n',
      'priority: Type.Optional(Priority) },\n',
      '    priority: Type.Optional(Priority),\n  },\n',
    ],
  });

  const rowPriority = '        priority: input.priority ?? 0,\n';
  edit('src/modules/items/repository.ts', (text) =>
    replaceOnce(
      'repository.ts',
      text,
      /^ {8}description: input\.description \?\? null,\n/m,
      (found) => `${found}${rowPriority}`,
    ),
  );
  edits.push({ file: 'src/modules/items/repository.ts', texts: [rowPriority] });

  const summary = "summary: 'Create an item (priority 0 unless given)',";
  edit('src/modules/items/routes.ts', (text) =>
    replaceOnce('routes.ts', text, "summary: 'Create an item',", () => summary),
  );
  edits.push({ file: 'src/modules/items/routes.ts', texts: [summary] });

  const keys = "      'name',\n      'priority',\n      'updatedAt',\n";
  edit('test/items.test.ts', (text) =>
    replaceOnce('items.test.ts', text, "      'name',\n      'updatedAt',\n", () => keys),
  );
  edits.push({ file: 'test/items.test.ts', texts: [keys] });

  // As `drizzle-kit generate` writes it: the SQL, a snapshot after the last one, a journal entry.
  const sqlFile = `drizzle/${migrationTag}.sql`;
  write(sqlFile, migration[dialect].sql);
  const snapshotFile = 'drizzle/meta/0001_snapshot.json';
  const last = JSON.parse(read('drizzle/meta/0000_snapshot.json')) as {
    id: string;
    prevId: string;
    tables: Record<string, { columns: Record<string, unknown> }>;
  };
  const items = last.tables[dialect === 'postgres' ? 'public.items' : 'items'];
  if (items === undefined) throw new Error('drizzle/meta/0000_snapshot.json has no items table');
  const columns = Object.entries(items.columns);
  const at = columns.findIndex(([name]) => name === 'description') + 1;
  items.columns = Object.fromEntries([
    ...columns.slice(0, at),
    ['priority', migration[dialect].column],
    ...columns.slice(at),
  ]);
  const snapshot = { ...last, id: randomUUID(), prevId: last.id };
  // drizzle-kit writes its snapshots with two-space indents and no final newline.
  write(snapshotFile, JSON.stringify(snapshot, null, 2));
  const journal = JSON.parse(read('drizzle/meta/_journal.json')) as { entries: { version: string; when: number }[] };
  const previous = journal.entries.at(-1);
  if (previous === undefined) throw new Error('drizzle/meta/_journal.json has no entries');
  const entry = {
    idx: journal.entries.length,
    version: previous.version,
    when: previous.when + 86_400_000,
    tag: migrationTag,
    breakpoints: true,
  };
  journal.entries.push(entry);
  write('drizzle/meta/_journal.json', JSON.stringify(journal, null, 2));
  edits.push(
    { file: sqlFile, texts: [migration[dialect].sql] },
    { file: snapshotFile, texts: [JSON.stringify(snapshot, null, 2)] },
    // Its entry, as JSON.stringify lays it out inside the entries list.
    { file: 'drizzle/meta/_journal.json', texts: [`"tag": "${migrationTag}"`, `"when": ${entry.when}`] },
  );

  // 4. A paragraph of the team's own, after the one that says how the project was generated.
  edit('README.md', (text) =>
    replaceOnce('README.md', text, /^the choices are in `sound-backend\.json`\.\n/m, (found) => `${found}\n${readme}`),
  );
  edits.push({ file: 'README.md', texts: [readme] });

  // 5. A dependency of their own.
  edit('package.json', (text) => {
    const pkg = JSON.parse(text) as { dependencies: Record<string, string> };
    pkg.dependencies[dependency[0]] = dependency[1];
    pkg.dependencies = Object.fromEntries(Object.entries(pkg.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
    return `${JSON.stringify(pkg, null, 2)}\n`;
  });
  edits.push({ file: 'package.json', texts: [`"${dependency[0]}": "${dependency[1]}"`] });

  return {
    edits,
    missing(root: string): string[] {
      return edits.flatMap(({ file, texts }) => {
        const full = path.join(root, file);
        const text = existsSync(full) ? readFileSync(full, 'utf8') : '';
        return texts.filter((each) => !text.includes(each)).map((each) => `${file}: ${JSON.stringify(each)}`);
      });
    },
  };
}
