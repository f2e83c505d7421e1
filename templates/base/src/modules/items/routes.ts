import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../errors.js';
import { createItemRepository } from './repository.js';
import { CreateItem, Item, ItemPage, ItemParams, ListQuery, UpdateItem } from './schemas.js';

const tags = ['items'];

/** Mounted at /v1/items. */
const itemRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = createItemRepository(fastify.database.db);
  const missing = (id: string) => notFound(`Item ${id} does not exist`);

  fastify.get(
    '',
    {
      schema: {
        tags,
        summary: 'List items, newest first, one page at a time',
        querystring: ListQuery,
        response: { 200: ItemPage },
      },
    },
    async (request) => repository.list(request.query.limit, request.query.cursor),
  );

  fastify.post(
    '',
    {
      schema: { tags, summary: 'Create an item', body: CreateItem, response: { 201: Item } },
    },
    async (request, reply) => {
      const item = repository.create(request.body);
      return reply.code(201).header('location', `/v1/items/${item.id}`).send(item);
    },
  );

  fastify.get(
    '/:id',
    { schema: { tags, summary: 'Get an item', params: ItemParams, response: { 200: Item } } },
    async (request) => {
      const item = repository.get(request.params.id);
      if (!item) throw missing(request.params.id);
      return item;
    },
  );

  fastify.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change some fields of an item',
        params: ItemParams,
        body: UpdateItem,
        response: { 200: Item },
      },
    },
    async (request) => {
      const item = repository.update(request.params.id, request.body);
      if (!item) throw missing(request.params.id);
      return item;
    },
  );

  fastify.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an item',
        params: ItemParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (!repository.remove(request.params.id)) throw missing(request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default itemRoutes;
