import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Access } from '../access.js';
import { UsageError } from '../errors.js';
import { checkField, checkFields, type FieldSpec, type OnDelete, parseField } from '../fields.js';
import { nextMigrationTag } from '../migrations.js';
import type { ResourceRecord } from '../plan.js';
import { checkResourceName, resourceNames } from '../resource.js';

/**
 * From what the user gives (a command line, a model file, answers to prompts) to the records the
 * manifest keeps: every name and field checked before anything is written.
 */

/** The module every project has: a resource may reference it as it references its own. */
export const exampleResource = 'items';

/** What a reference may point at: the project's resources, and the example module. */
export const referenceTargets = (existing: readonly string[]): string[] => [...existing, exampleResource];

/** Refuses a resource name that is invalid, taken, or whose module folder is there already. */
export function checkNewResource(root: string, name: string, existing: readonly string[]): void {
  checkResourceName(name, existing);
  if (existsSync(path.join(root, 'src/modules', name))) {
    throw new UsageError(`src/modules/${name} exists already: choose another name, or move that folder away first.`);
  }
}

/**
 * `add resource orders total:decimal(10,2) customer:references --on-delete cascade`: each spec
 * parsed, `--on-delete` given to every reference (an error without one), then checked together.
 */
export function commandLineFields(
  resource: string,
  specs: readonly string[],
  onDelete: OnDelete | undefined,
  known: readonly string[],
): FieldSpec[] {
  const fields = specs.map((spec) => parseField(spec));
  if (onDelete !== undefined) {
    if (!fields.some((field) => field.type === 'references')) {
      throw new UsageError(
        `--on-delete ${onDelete} is for references, and no field of ${resource} is one: add one (customer:references) or leave the flag out.`,
      );
    }
    fields.forEach((field, i) => {
      if (field.type !== 'references') return;
      withOnDelete(field, onDelete);
      checkField(field, specs[i]);
    });
  }
  checkFields(resource, fields, known);
  return fields;
}

/** Restrict is what a reference does unless told otherwise: recorded only when it is not. */
export function withOnDelete(field: FieldSpec, onDelete: OnDelete | undefined): FieldSpec {
  if (onDelete === undefined || onDelete === 'restrict') delete field.onDelete;
  else field.onDelete = onDelete;
  return field;
}

/** What a new resource is before it gets its time and migration. */
export interface NewResource {
  name: string;
  fields?: FieldSpec[];
  unique?: string[][];
  /** Recorded where it is not owned. */
  access?: Exclude<Access, 'owned'>;
}

/**
 * The records of resources added in one run, in the order given: each one's migration numbered
 * after the journal's last entry and the ones before it, its time a millisecond after theirs.
 */
export function newRecords(root: string, resources: readonly NewResource[], now: number): ResourceRecord[] {
  const first = resources[0] === undefined ? undefined : nextMigrationTag(root, resourceNames(resources[0].name).table);
  const firstIdx = first === undefined ? undefined : Number(first.slice(0, first.indexOf('_')));
  return resources.map(({ name, fields, unique, access }, i) => ({
    name,
    createdAt: now + i,
    ...(firstIdx === undefined
      ? {}
      : { migration: `${String(firstIdx + i).padStart(4, '0')}_${resourceNames(name).table}` }),
    ...(fields !== undefined && fields.length > 0 ? { fields } : {}),
    ...(unique !== undefined && unique.length > 0 ? { unique } : {}),
    ...(access !== undefined ? { access } : {}),
  }));
}
