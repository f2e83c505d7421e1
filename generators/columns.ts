import { type FieldSpec, lengthOf } from '../src/fields.js';
import type { ColumnCode, SchemaColumns } from './feature.js';

/** `name('column', options)` and the builder it imports. */
export const column = (builder: string, name: string, options?: string): ColumnCode => ({
  code: `${builder}('${name}'${options === undefined ? '' : `, ${options}`})`,
  imports: [builder],
});

/** The longest value of an enum: its column's length. */
export const enumLength = (field: FieldSpec) => Math.max(...(field.values ?? ['']).map((value) => value.length));

/** The columns PostgreSQL and MySQL share: strings as varchar, ids through the schema's `uuid`. */
export function serverColumns(
  table: string,
  core: string,
  field: (spec: FieldSpec, name: string) => ColumnCode | undefined,
): SchemaColumns {
  const shared = {
    uuid: (name: string) => ({ code: `uuid('${name}')`, imports: [] }),
    principal: (name: string) => column('varchar', name, '{ length: 255 }'),
    timestamp: (name: string) => ({ code: `timestamp('${name}')`, imports: [] }),
  };
  return {
    table,
    core,
    ...shared,
    field: (spec, name) => {
      const own = field(spec, name);
      if (own !== undefined) return own;
      switch (spec.type) {
        case 'string':
        case 'email':
        case 'url':
          return column('varchar', name, `{ length: ${lengthOf(spec)} }`);
        case 'enum':
          return column('varchar', name, `{ length: ${enumLength(spec)} }`);
        case 'text':
          return column('text', name);
        case 'bigint':
          return column('bigint', name, "{ mode: 'number' }");
        case 'boolean':
          return column('boolean', name);
        case 'datetime':
          return shared.timestamp(name);
        case 'uuid':
        case 'references':
          return shared.uuid(name);
        default:
          throw new Error(`No ${table} column for ${spec.type}`);
      }
    },
  };
}
