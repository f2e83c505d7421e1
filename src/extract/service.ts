import path from 'node:path';
import type { FieldSpec } from '../fields.js';
import type { PlanInput, ResourceRecord } from '../plan.js';
import { suggestPackageName } from '../project-name.js';
import { serviceDatabase } from '../remote.js';

/**
 * The new service, decided without a disk: the monolith's choices, only the extracted resource,
 * its references to resources that stay turned into plain columns (each listed with why), and its
 * own port. Its tables are its own: it is planned as a project of its own, so its schema holds
 * only them (and what every project has: the example module). Its callers are the monolith's: it
 * verifies their bearer tokens, and the principals the monolith signs for its API-key callers
 * (`identity`), so it has no users or keys table, and owners are plain columns.
 */

/** A reference the service cannot keep, and what it became. */
export interface PlainColumn {
  /** `orders.customerId`. */
  field: string;
  /** `customers`: the resource that stays in the monolith. */
  target: string;
  why: string;
}

export interface ServiceInput {
  input: PlanInput;
  plainColumns: PlainColumn[];
}

/** The service's package name: the folder's, made valid, as `create` suggests one. */
export function serviceName(target: string): string {
  return suggestPackageName(path.basename(target));
}

/** The references of `record` to resources other than itself become uuid columns. */
function serviceRecord(record: ResourceRecord): { record: ResourceRecord; plainColumns: PlainColumn[] } {
  const plainColumns: PlainColumn[] = [];
  const fields = record.fields?.map((field): FieldSpec => {
    if (field.type !== 'references' || field.references === undefined || field.references === record.name) {
      return field;
    }
    const { references: target, onDelete, ...rest } = field;
    plainColumns.push({
      field: `${record.name}.${field.name}`,
      target,
      why: `${target} stays in the monolith, in another database: the service keeps the id as a plain uuid column (indexed, no foreign key${onDelete === undefined ? '' : `, no on-delete ${onDelete}`}), and ?include=${field.name.replace(/Id$/, '')} is gone; checking that the row exists moves to the monolith's API.`,
    });
    return { ...rest, type: 'uuid', index: true };
  });
  // A project of its own numbers its migrations from its first: the tag is planned again.
  const { migration: _, fields: __, ...rest } = record;
  return { record: { ...rest, ...(fields === undefined ? {} : { fields }) }, plainColumns };
}

/** The plan input of the service that takes `module` out of `project`. */
export function serviceInput(project: PlanInput, module: string, target: string, port: number): ServiceInput {
  const record = (project.resources ?? []).find((resource) => resource.name === module);
  if (record === undefined) throw new Error(`${module} is not a resource of the project`);
  const service = serviceRecord(record);
  const name = serviceName(target);
  return {
    input: {
      name,
      stack: project.stack,
      pm: project.pm,
      resources: [service.record],
      identity: { mode: 'verify', issuer: project.name, database: serviceDatabase(name), port },
    },
    plainColumns: service.plainColumns,
  };
}
