import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { connectMemcached, createMemcachedStore } from '../src/cache/memcached.js';
import { cacheServer } from './cache-server.js';

describe('memcached store', () => {
  const client = connectMemcached(`${cacheServer.host}:${cacheServer.port}`, 1000);
  const store = createMemcachedStore(client);
  afterAll(() => client.close());

  it('stores JSON, deletes, and tells a stored null from a miss', async () => {
    const key = `test:${randomUUID()}`;
    await store.set(key, { n: 1, text: 'ü 漢字' }, 60);
    expect(await store.get(key)).toEqual({ n: 1, text: 'ü 漢字' });
    const raw = await client.get(key);
    expect(raw.value?.toString('utf8')).toBe('{"n":1,"text":"ü 漢字"}');
    await store.set(`${key}:null`, null, 60);
    expect(await store.get(`${key}:null`)).toBeNull();
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
  });

  it('rounds a TTL to whole seconds, at least one, and expires the entry', async () => {
    const short = `test:${randomUUID()}`;
    const rounded = `test:${randomUUID()}`;
    // Memcached's clock ticks in whole seconds: an entry of 1 s lives until the next tick, which
    // may come at once, so only its end is certain (0 would mean it never expires). One of 2 s
    // (2.4 rounded) lives at least a second.
    await store.set(short, 'short', 0.2);
    await store.set(rounded, 'rounded', 2.4);
    expect(await store.get(rounded)).toBe('rounded');
    await sleep(3100);
    expect(await store.get(short)).toBeUndefined();
    expect(await store.get(rounded)).toBeUndefined();
  });
});
