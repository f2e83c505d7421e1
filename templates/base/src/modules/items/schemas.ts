import { type Static, Type } from 'typebox';

const Id = Type.String({ format: 'uuid', maxLength: 36 });
// ISO 8601 in UTC, 24 characters (room left for microseconds).
const Timestamp = Type.String({ format: 'date-time', maxLength: 32 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
// A type list rather than anyOf: Fastify's Ajv coerces types (for query strings), and
// with anyOf it would turn a null description into "" in the first branch.
const Description = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 2000 });

export const Item = Type.Object({
  id: Id,
  name: Name,
  description: Description,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

// Request schemas refuse unknown properties (mass assignment) instead of dropping them.
export const CreateItem = Type.Object(
  { name: Name, description: Type.Optional(Description) },
  { additionalProperties: false },
);

export const UpdateItem = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Description) },
  { additionalProperties: false, minProperties: 1 },
);

export const ItemParams = Type.Object({ id: Id }, { additionalProperties: false });

/** Items on a page when the query does not say. */
export const DEFAULT_LIMIT = 20;

// Where a page starts: a nextCursor the API handed out.
const Cursor = Type.String({ pattern: '^[A-Za-z0-9_-]{1,512}$', maxLength: 512 });

export const ListQuery = Type.Object(
  {
    // Optional to the client, or the OpenAPI document would require it (Type.Object lists
    // every property not wrapped in Optional as required). Fastify's Ajv fills in the default.
    limit: Type.Optional(
      Type.Integer({ format: 'int32', minimum: 1, maximum: 100, default: DEFAULT_LIMIT }),
    ),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const ItemPage = Type.Object({
  items: Type.Array(Item, { maxItems: 100 }),
  nextCursor: Type.Union([Cursor, Type.Null()]),
});

export type ItemDto = Static<typeof Item>;
export type CreateItemInput = Static<typeof CreateItem>;
export type UpdateItemInput = Static<typeof UpdateItem>;
