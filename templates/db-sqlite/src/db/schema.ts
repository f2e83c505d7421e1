import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull().unique(),
    description: text('description'),
    // ISO 8601 strings sort chronologically as text and round-trip to the API unchanged.
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  // Serves the list order and its keyset cursor: (created_at desc, id desc).
  (table) => [index('items_created_at_id_idx').on(table.createdAt, table.id)],
);

export type ItemRow = typeof items.$inferSelect;
