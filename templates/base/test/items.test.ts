import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';

interface Item {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

describe('/v1/items', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestApp();
  });
  afterEach(() => app.close());

  const create = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/items', payload });

  it('creates, reads, updates and deletes an item', async () => {
    const created = await create({ name: 'first', description: 'one' });
    expect(created.statusCode).toBe(201);
    const item = created.json<Item>();
    expect(Object.keys(item).sort()).toEqual([
      'createdAt',
      'description',
      'id',
      'name',
      'updatedAt',
    ]);
    expect(created.headers.location).toBe(`/v1/items/${item.id}`);

    expect((await app.inject(`/v1/items/${item.id}`)).json()).toEqual(item);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/items/${item.id}`,
      payload: { description: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: item.id, name: 'first', description: null });

    expect((await app.inject({ method: 'DELETE', url: `/v1/items/${item.id}` })).statusCode).toBe(
      204,
    );
    expectProblem(await app.inject(`/v1/items/${item.id}`), 404);
    expectProblem(await app.inject({ method: 'DELETE', url: `/v1/items/${item.id}` }), 404);
  });

  it('404 for an unknown item on read and update', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expectProblem(await app.inject(`/v1/items/${id}`), 404);
    expectProblem(
      await app.inject({ method: 'PATCH', url: `/v1/items/${id}`, payload: { name: 'x' } }),
      404,
    );
  });

  it('409 on a duplicate name, on create and on rename', async () => {
    await create({ name: 'taken' });
    const other = (await create({ name: 'free' })).json<Item>();
    expectProblem(await create({ name: 'taken' }), 409);
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/v1/items/${other.id}`,
      payload: { name: 'taken' },
    });
    const problem = expectProblem(renamed, 409);
    expect(JSON.stringify(problem)).not.toMatch(/SQLITE|constraint|insert|update/i);
  });

  it('walks every page with no duplicate or missing item', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 47; i++) {
      const name = `item-${i}`;
      names.add(name);
      expect((await create({ name })).statusCode).toBe(201);
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/items?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await app.inject(url)).json<{ items: Item[]; nextCursor: string | null }>();
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen.map((item) => item.name).sort()).toEqual([...names].sort());
    expect(new Set(seen.map((item) => item.id)).size).toBe(47);
    const order = seen.map((item) => `${item.createdAt}|${item.id}`);
    expect(order).toEqual([...order].sort().reverse());
  });

  it('defaults to 20 per page and rejects a forged cursor', async () => {
    for (let i = 0; i < 21; i++) await create({ name: `n${i}` });
    const first = (await app.inject('/v1/items')).json();
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    expectProblem(await app.inject('/v1/items?cursor=bm90LWpzb24'), 400);
    expectProblem(await app.inject('/v1/items?limit=0'), 400);
  });

  it('stores and returns hostile strings verbatim', async () => {
    const hostile = [
      `it's "quoted"`,
      "'; DROP TABLE items; --",
      "' OR 1=1 --",
      'semi;colon -- comment /* block */',
      'unicode ü 漢字 🚀 \u202e',
      'nul\u0000byte',
    ];
    for (const name of hostile) {
      const created = await create({ name, description: name });
      expect(created.statusCode).toBe(201);
      const fetched = (await app.inject(`/v1/items/${created.json<Item>().id}`)).json<Item>();
      expect(fetched.name).toBe(name);
      expect(fetched.description).toBe(name);
    }
    const all = (await app.inject('/v1/items?limit=100')).json<{ items: Item[] }>();
    expect(all.items).toHaveLength(hostile.length);
  });

  it('serialises only declared fields', async () => {
    const item = (await create({ name: 'shape' })).json<Item>();
    const list = (await app.inject('/v1/items')).json();
    expect(Object.keys(list)).toEqual(['items', 'nextCursor']);
    expect(Object.keys(list.items[0]).sort()).toEqual(Object.keys(item).sort());
  });
});
