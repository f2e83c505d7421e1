import { addExamples, choiceKinds, choices, packageManagers, removeExamples } from './catalogue.js';
import { fieldTypes } from './fields.js';

/** The types as a field spells them, wrapped: `string(n), text, …, references`. */
const fieldTypeList = fieldTypes
  .map(
    (type) =>
      (({ string: 'string(n)', decimal: 'decimal(p,s)', enum: 'enum(a,b)' }) as Record<string, string>)[type] ?? type,
  )
  .join(', ')
  .replace(/(.{1,80})(?:, |$)/g, '$1,\n                  ')
  .replace(/,\n\s*$/, '');

function describeChoice(kind: (typeof choiceKinds)[number]): string {
  const spec = choices[kind];
  const values = Object.keys(spec.values).join(', ');
  const fallback = Array.isArray(spec.default) ? spec.default.join(',') : spec.default;
  const list = spec.multiple ? ' (comma list)' : '';
  return `  --${kind.padEnd(12)} ${values}${list}; default ${fallback}`;
}

function describeKind(kind: (typeof choiceKinds)[number]): string {
  const spec = choices[kind];
  return `  ${`${kind}=`.padEnd(14)} ${Object.keys(spec.values).join(', ')}${spec.multiple ? ' (adds to the list)' : ''}`;
}

/** An example of a preset: the default database and monitoring. */
const presetExample = JSON.stringify({ db: choices.db.default, monitoring: choices.monitoring.default });

/** The --help text; every choice line comes from the catalogue. */
export function helpText(version: string): string {
  return `create-sound-backend ${version}
Scaffold a Fastify backend with scalability, database design, error handling,
simplicity, API security and observability wired in.

Usage:
  create-sound-backend [dir] [options]   create a new project (interactive in a terminal)
  create-sound-backend add <kind=value>  add or switch a choice in a generated project (add --help)
  create-sound-backend add resource <name> [field:type ...]   add a module with typed fields (add --help)
  create-sound-backend add resources <model.yaml>  several resources and their relations at once
  create-sound-backend remove <kind=value>   take a choice out again, keeping your changes (remove --help)
  create-sound-backend upgrade           bring this version's templates in, keeping your changes (upgrade --help)
  create-sound-backend extract <module>  move a resource into a service of its own (extract --help)
  create-sound-backend render <dir>      write what this version makes of your manifest, beside it (render --help)
  create-sound-backend doctor [dir]      audit any backend against the six mistakes (doctor --help)

Choices:
${choiceKinds.map(describeChoice).join('\n')}

Options:
  --pm <name>       ${packageManagers.join(', ')}; default: the one that ran this command, else npm
  --install, --no-install   install dependencies (default: install)
  --git, --no-git           git init and a first commit (default: git)
  -y, --yes         take the default for every choice not given; never prompt
  --preset <file>   JSON with the same keys as the flags, e.g. ${presetExample}; flags win
  --dry-run         print what would be written; write nothing, run nothing
  --force           allow a non-empty target directory (existing files are never overwritten or deleted)
  --json            print one JSON summary on stdout; human text goes to stderr
  -h, --help        show this help
  -v, --version     show the version

Without a terminal, or with CI=true, it never prompts: open choices take their defaults.
Exit codes: 0 done, 1 a step failed (install, git; the files stay), 2 usage error (nothing written), 130 cancelled.
`;
}

/** The options `add`, `remove` and `upgrade` share: they change a project the same way. */
const changeOptions = `  --cwd <dir>       the project (default: the current directory); it needs sound-backend.json
  --dry-run         print what would change, with a unified diff of every file; write nothing
  --merge           where your changes and the new version's touch the same lines, write both
                    between conflict markers (<<<<<<< yours … >>>>>>> create-sound-backend) to resolve
  --force           also overwrite or remove files you changed (your version is kept as <file>.orig)
  --json            print one JSON summary on stdout; human text goes to stderr`;

const helpOption = '  -h, --help        show this help';

/** `add --help`. */
export function addHelpText(version: string): string {
  return `create-sound-backend ${version}
Grow a project this tool generated, keeping your changes.

Usage:
  create-sound-backend add <kind=value> [...]   add or switch a choice, e.g. ${addExamples.choice},
                                                 ${addExamples.listValue} (list kinds add to the list;
                                                 none empties it), ${addExamples.database} (data is not moved)
  create-sound-backend add resource <name> [field:type ...] [--on-delete restrict|cascade|set-null]
                                     [--owned | --shared | --public-read]
                                                 a new module: routes, schemas, repository, table,
                                                 migration and tests (name: plural, like orders);
                                                 in a terminal, with no fields, it asks for them
  create-sound-backend add resources <model.json|model.yaml|model.yml>
                                                 several resources at once, in dependency order

Kinds:
${choiceKinds.map(describeKind).join('\n')}

Fields (add resource orders 'total:decimal(10,2)' 'status:enum(open,paid)=open:index'):
  name:type[?][!][=default][:index]     name in camelCase or snake_case; quote a field with ?, !, (
                                        or ) in a shell: 'status:enum(open,paid)', 'note:string?'
  types           ${fieldTypeList}
  string(n)       at most n characters (255 without); text is long and never indexed
  decimal(p,s)    exact: p digits, s of them after the point; a string in JSON ("12.50")
  enum(a,b)       one of the values (lowercase letters, digits, - and _)
  customer:references     holds customerId, the id of a row of customers
  buyer:references(customers)   the same with the target named: holds buyerId
  ? optional (may be null)   ! unique   =value the default   :index  filter and sort by it

Model file (add resources shop.yaml; JSON the same shape, schema in the package's
schemas/model.schema.json):
  resources:
    customers:
      fields: { name: string(120)!, email: email! }
    orders:
      fields:
        customer: references                  # the same spelling as the command line
        total: decimal(10,2)
        line: { type: string, length: 80, optional: true }   # or as an object
      onDelete: cascade                       # for this resource's references
      unique: [[customer, line]]              # composite unique keys, by field name
    products:
      access: shared                          # owned (the default), shared or public-read
      fields: { sku: string(40)! }

Options:
${changeOptions}
  --on-delete <action>  restrict, cascade or set-null: for every reference add resource gives
  --owned           with auth, each row is its maker's: nobody else reads or changes it (default)
  --shared          every authenticated caller reads every row; writes need <name>:write (a
                    bearer token's scope) or the admin role (users); an API key may write
  --public-read     anyone reads, with no credential; a caller writes only the rows it made
  -y, --yes         never ask for fields (as without a terminal, or with CI=true)
${helpOption}

A file you changed since it was generated is merged, never overwritten silently: your lines
and the new version's combine (a three-way merge against the file as generated). Where both
changed the same lines, add names each file and the lines of yours, writes nothing and exits 2,
unless --merge or --force. package.json and .env.example are merged by entry: your own scripts,
dependencies and variables stay. Files the project did not generate, and .env, are never touched.
Running the same add twice changes nothing the second time.
Exit codes: 0 done (or nothing to do), 1 writing failed (nothing changed), 2 usage error or a
changed file in the way (nothing written).
`;
}

/** `remove --help`. */
export function removeHelpText(version: string): string {
  return `create-sound-backend ${version}
Take a choice out of a project this tool generated, keeping your changes.

Usage:
  create-sound-backend remove <kind=value> [...]   take one value out of a list kind, e.g.
                                                    remove ${removeExamples.listValue}, remove ${removeExamples.tableValue}
  create-sound-backend remove <kind>               empty a kind that can be empty, e.g.
                                                    remove ${removeExamples.kind} (the same as add ${removeExamples.kind}=none)

Options:
${changeOptions}
${helpOption}

remove merges exactly as add does (add --help): files you changed keep your lines, overlapping
changes stop the run unless --merge or --force, and it writes all of it or nothing. Files the
removed choice made and you did not change are deleted; the ones you changed are kept, named.
Tables are never dropped by rewriting a migration: the change comes as a new migration.
Exit codes: 0 done (or nothing to do), 1 writing failed (nothing changed), 2 usage error or a
changed file in the way (nothing written).
`;
}

/** `upgrade --help`. */
export function upgradeHelpText(version: string): string {
  return `create-sound-backend ${version}
Bring this version's templates into a project an older version generated, keeping your changes.

Usage:
  create-sound-backend upgrade [--from <folder|tarball>] [--cwd <dir>] [--merge | --force] [--dry-run]

Every file is merged three ways, as add merges it: the base is the project as the version recorded
in sound-backend.json rendered it, for its recorded choices and resources; yours is the disk; the new
one is this version's render. To render the base, upgrade runs that version's \`render\` command in a
temporary folder: fetched from the npm registry (as npx would), or the build --from gives.

Options:
  --from <path>     a build of the recorded version: its package folder (package.json, bin, dist,
                    templates) or an npm pack tarball; use it offline or for an unpublished version
${changeOptions}
${helpOption}

Afterwards it says what to run: an install when dependencies changed, db:migrate when migrations
did, and which environment variables are new or gone. The manifest then records this version.
A project this version made already is up to date: nothing changes.
Exit codes: 0 done (or up to date), 1 a step failed (nothing changed), 2 usage error, no manifest,
a project from a newer version, a version that cannot be fetched, or a changed file in the way
(nothing written).
`;
}

/** `render --help`. */
export function renderHelpText(version: string): string {
  return `create-sound-backend ${version}
Write the project a sound-backend.json records, as this version renders it, into a new folder.
Upgrade runs the version that made a project this way to get the base of its merges; it is also
the way to see what this version would have generated for your project, beside it.

Usage:
  create-sound-backend render <dir> [--cwd <project>]

The choices, resources (their fields, keys and access), extracted modules and a service's identity
all come from the manifest in --cwd (default: here). <dir> must be new or empty; nothing is
installed and no git repository is made. Your project is only read.

Options:
  --cwd <dir>       the project whose manifest to render (default: the current directory)
${helpOption}

Exit codes: 0 written, 1 writing failed, 2 usage error, no manifest, or <dir> not empty.
`;
}

/** `extract --help`. */
export function extractHelpText(version: string): string {
  return `create-sound-backend ${version}
Move one resource out of the monolith into a service of its own, when it is justified.

Usage:
  create-sound-backend extract <module> [--to <dir>] [--port <n>] [--cwd <dir>] [--dry-run] [--json]

The service is a generated project of its own with the same choices (database, cache,
monitoring, deploy, CI), holding the module: its routes, repository, table and tests, its own
sound-backend.json, port and tables (db:generate writes its first migration). Its references to
resources that stay become plain uuid columns, each named with why. Its .env gets the
monolith's development secrets of the same names (a token signing secret among them), so the
monolith's tokens verify there.

The monolith keeps the module's routes and OpenAPI, answered through src/lib/http-client.ts by
the service (<MODULE>_SERVICE_URL): 503 with Retry-After while it is down, /health/ready still
200 with it degraded. Its table goes in a new migration, applied by your next db:migrate. Its
files change as add changes them, merged with your edits; an edit that cannot be merged stops
extract (exit 2) before anything is written. The README says how to move the rows.

Options:
  --to <dir>        the service's folder, new or empty (default: ../<module>-service)
  --port <n>        the port the service listens on (default: the first from 3001 up that neither
                    the monolith (3000) nor its compose file takes; Grafana publishes 3001)
  --cwd <dir>       the project (default: the current directory); it needs sound-backend.json
  --dry-run         print both projects' changes; write nothing
  --json            print one JSON summary of both projects on stdout (the service's dir, options,
                    port and files; the monolith's changes and drop migration; the references that
                    became plain columns; next steps); human text goes to stderr
${helpOption}

extract refuses, naming each reason on a line of its own and writing nothing: a project with
no sound-backend.json; a module that is not a resource of the project (items, the example,
stays); a module other modules import directly (each import is named, file and line), which
includes one another resource references, since the referencing module joins its table and
embeds its rows; a --to folder that is not empty or lies inside the project; --port 3000 or a
port the monolith's compose file publishes.
Exit codes: 0 done, 1 writing failed (nothing changed), 2 refused or a usage error
(nothing written).
`;
}
