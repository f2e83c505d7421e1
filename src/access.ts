import { UsageError } from './errors.js';
import type { FieldSpec } from './fields.js';

/**
 * Who may see and change a resource's rows, where the project has auth:
 * - `owned`: each row is its maker's; nobody else reads or changes it (404). The default.
 * - `shared`: every authenticated caller reads every row; writes need the `<name>:write` scope
 *   (a bearer token's, an API key's) or, for users of the project's own sign-in, the admin role.
 * - `public-read`: anyone reads, without a credential; an authenticated caller creates rows, and
 *   only a row's maker changes or deletes it.
 */
export const accessModes = ['owned', 'shared', 'public-read'] as const;
export type Access = (typeof accessModes)[number];

/** What a module's code needs to know of its access. */
export interface AccessPlan {
  access: Access;
  /** Rows record who made them (an `ownerId` column): owned and public-read, with auth. */
  owned: boolean;
  /** Reads are limited to the caller's rows: owned, with auth. */
  readsOwned: boolean;
  /** Reads need a credential: owned and shared, with auth. */
  readsAuthenticated: boolean;
  /** The scope writes need: shared, with auth (`products:write`). */
  writeScope?: string;
  /** Another caller's row answers 403 to a write, as it can read it: public-read, with auth. */
  writesOwnRows: boolean;
  /** routes.ts: writes have hooks of their own (`...writer`): the scope check, or the credential. */
  writeHooks: boolean;
  /** README: who may read and write its rows, where not only their owner. */
  readme?: string;
  /** repository.ts: what its queries do about access (and replicas), as a doc comment; empty for neither. */
  doc: string;
}

const replicaLine = 'Reads go to a replica when DATABASE_REPLICA_URLS names any; writes go to the primary.';

/** How each access keeps rows apart, in the repository's words. */
const accessLines = (name: string): Record<Access, string[]> => ({
  owned: [
    "Every query takes the owner and filters by it in SQL, so another owner's row is never",
    'read, changed or deleted: to its caller it does not exist (404, absent from lists).',
  ],
  shared: [
    'Every authenticated caller reads every row; the routes let only callers allowed',
    `${name}:write change them, so rows have no owner.`,
  ],
  'public-read': [
    'Anyone reads every row. Each row records who made it, and only they change or delete it:',
    'writes take the owner and filter by it in SQL.',
  ],
});

/** `replicas`: the database may have read replicas (a server's, not a file's). */
export function accessPlan(name: string, access: Access, auth: boolean, replicas: boolean): AccessPlan {
  const lines = [...(auth ? accessLines(name)[access] : []), ...(replicas ? [replicaLine] : [])];
  const doc =
    lines.length === 0
      ? ''
      : lines.length === 1
        ? `/** ${lines[0]} */`
        : ['/**', ...lines.map((line) => ` * ${line}`), ' */'].join('\n');
  if (!auth) {
    return {
      access,
      owned: false,
      readsOwned: false,
      readsAuthenticated: false,
      writesOwnRows: false,
      writeHooks: false,
      doc,
    };
  }
  return {
    access,
    owned: access !== 'shared',
    readsOwned: access === 'owned',
    readsAuthenticated: access !== 'public-read',
    ...(access === 'shared'
      ? {
          writeScope: `${name}:write`,
          readme: `shared: every authenticated caller reads every row, writes need \`${name}:write\` (\`403\`)`,
        }
      : {}),
    ...(access === 'public-read'
      ? { readme: "public-read: anyone reads, no credential needed; only a row's maker changes or deletes it (`403`)" }
      : {}),
    writesOwnRows: access === 'public-read',
    writeHooks: access !== 'owned',
    doc,
  };
}

interface AccessRecord {
  name: string;
  access?: Access;
  fields?: readonly FieldSpec[];
}

/** The example module, and resources that say none, are owned. */
export const accessOf = (record: { access?: Access } | undefined): Access => record?.access ?? 'owned';

/**
 * What a reference must respect of the rows it points at, where the project has auth: the modules
 * whose rows are each their maker's (the example module, and each owned resource), and the shared
 * ones, by name. Without auth, none.
 */
export function accessTargets(
  records: readonly AccessRecord[],
  auth: boolean,
  exampleModule: string,
): { ownedTargets: Set<string>; sharedResources: Set<string> } {
  const accessByName = new Map<string, Access>(records.map((record) => [record.name, accessOf(record)]));
  return {
    ownedTargets: new Set(
      auth
        ? [exampleModule, ...[...accessByName].filter(([, access]) => access === 'owned').map(([name]) => name)]
        : [],
    ),
    sharedResources: new Set(
      auth ? [...accessByName].filter(([, access]) => access === 'shared').map(([name]) => name) : [],
    ),
  };
}

/** The scopes routes require, and what they switch on in the templates (`has.<flag>`). */
export interface ScopePlan {
  /** Sorted: what an API key may be given; the templates declare them as `SCOPES`. */
  names: string[];
  flags: Partial<Record<'writeScopes' | 'adminWrites' | 'tokenRoles' | 'roles' | 'requireScope' | 'keyScopes', true>>;
}

export function scopePlan(input: {
  /** The scope the example module's delete needs, where a feature gives it one (`items:write`). */
  deleteScope: string | undefined;
  /** A credential stores the scopes it was given (API keys). */
  storedScopes: boolean;
  /** The project has users of its own, whose admin role stands for the scopes. */
  usersTable: boolean;
  /** A service made by extract: the admin role comes from the access token's roles claim. */
  tokenRoles: boolean;
  /** A shared resource is recorded, served here or by the service extract moved it to. */
  sharedRecords: boolean;
  /** The modules whose routes the project serves itself. */
  modules: readonly { access: AccessPlan }[];
  /**
   * The scopes of modules extract moved out, whose services get an API key's scopes in the
   * principal the project signs: a key made here with one of them writes there.
   */
  signedScopes: readonly string[];
}): ScopePlan {
  const flags: ScopePlan['flags'] = {};
  // Shared resources' writes need a scope: the admin role of users where the project has them,
  // read from the users table here (`adminWrites`), from the access token's roles claim in a
  // service made by extract (`tokenRoles`).
  if (input.modules.some((module) => module.access.writeScope)) {
    flags.writeScopes = true;
    if (input.usersTable) flags.adminWrites = true;
    if (input.tokenRoles) flags.tokenRoles = true;
  }
  // Users have a role, and their access tokens carry it, while a shared resource is theirs to
  // write: here, or in the service extract moved it to, which has no users table to read it from.
  if (input.usersTable && input.sharedRecords) flags.roles = true;
  const names = [
    ...new Set([
      ...(input.deleteScope ? [input.deleteScope] : []),
      ...input.modules.flatMap((module) => module.access.writeScope ?? []),
      ...input.signedScopes,
    ]),
  ].sort();
  if (names.length > 0) {
    flags.requireScope = true;
    if (input.storedScopes) flags.keyScopes = true;
  }
  return { names, flags };
}

/**
 * Refuses what access cannot mean: a mode other than owned without auth, where every row is
 * public already; and a shared or public row that references an owned one, whose id (and, with
 * `?include=`, whose content) would then be shown to callers who may not see it.
 */
export function checkAccess(records: readonly AccessRecord[], auth: boolean, added: ReadonlySet<string>): void {
  const byName = new Map(records.map((record) => [record.name, record]));
  for (const record of records) {
    if (!added.has(record.name)) continue;
    const access = accessOf(record);
    if (access === 'owned') continue;
    if (!auth) {
      throw new UsageError(
        `${record.name} is ${access}, and the project has no auth: every row is public already. Add auth first (add auth=<method>), or leave out --${access}.`,
      );
    }
    for (const field of record.fields ?? []) {
      if (field.references === undefined) continue;
      const target = field.references === record.name ? record : byName.get(field.references);
      if (accessOf(target) === 'owned') {
        throw new UsageError(
          `${record.name} is ${access}, so its field ${field.name} cannot reference ${field.references}, whose rows are owned: callers who may not see them would read their ids. Make ${field.references} shared or public-read, or ${record.name} owned.`,
        );
      }
    }
  }
}

/**
 * Refuses a change of choices that leaves no auth while resources other than owned exist: their
 * access (who may write, who may read without a credential) has no meaning without a principal,
 * and an owned resource's rows would be everyone's anyway.
 */
export function checkAuthKept(records: readonly AccessRecord[], auth: boolean, change: string): void {
  if (auth) return;
  const needing = records.filter((record) => accessOf(record) !== 'owned');
  if (needing.length === 0) return;
  const listed = needing.map((record) => `${record.name} is ${accessOf(record)}`).join(', ');
  throw new UsageError(
    `${change} would leave the project without auth, and ${listed}: who may write ${needing.length === 1 ? 'it' : 'them'} needs a caller. Switch auth instead (add auth=<method>).`,
  );
}
