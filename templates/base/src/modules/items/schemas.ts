import { type Static, Type } from 'typebox';

const Name = Type.String({ minLength: 1, maxLength: 200 });
// A type list rather than anyOf: Fastify's Ajv coerces types (for query strings), and
// with anyOf it would turn a null description into "" in the first branch.
const Description = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 2000 });

export const Item = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Name,
  description: Description,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
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

export const ItemParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,512}$' })),
  },
  { additionalProperties: false },
);

export const ItemPage = Type.Object({
  items: Type.Array(Item),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export type ItemDto = Static<typeof Item>;
export type CreateItemInput = Static<typeof CreateItem>;
export type UpdateItemInput = Static<typeof UpdateItem>;
