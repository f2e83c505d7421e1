import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectMemcached, createMemcachedStore } from '../src/cache/memcached.js';
import { itKeepsNoStaleEntry } from './cache-races.js';
import { cacheEnv, cacheServer } from './cache-server.js';

describe('memcached store', () => {
  const client = connectMemcached(`${cacheServer.host}:${cacheServer.port}`, 1000);
  const prefix = cacheEnv().MEMCACHED_KEY_PREFIX;
  const store = createMemcachedStore(client, prefix);
  afterAll(() => client.close());

  itKeepsNoStaleEntry(store);

  it('stores JSON under the key prefix, deletes, and tells a stored null from a miss', async () => {
    await store.set('a', { n: 1, text: 'ü 漢字' }, 60);
    expect(await store.get('a')).toEqual({ n: 1, text: 'ü 漢字' });
    const raw = await client.get(`${prefix}a`);
    expect(raw.value?.toString('utf8')).toBe('={"n":1,"text":"ü 漢字"}\n');
    expect(prefix.startsWith(inject('cacheKeyPrefix'))).toBe(true);
    await store.set('a:null', null, 60);
    expect(await store.get('a:null')).toBeNull();
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('rounds a TTL to whole seconds, at least one, and expires the entry', async () => {
    // Memcached's clock ticks in whole seconds: an entry of 1 s lives until the next tick, which
    // may come at once, so only its end is certain (0 would mean it never expires). One of 2 s
    // (2.4 rounded) lives at least a second.
    await store.set('short', 'short', 0.2);
    await store.set('rounded', 'rounded', 2.4);
    expect(await store.get('rounded')).toBe('rounded');
    await sleep(3100);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('rounded')).toBeUndefined();
  });

  // `npm run dev` keeps its entries under MEMCACHED_KEY_PREFIX (the package name and a colon
  // unless set), on the Memcached the tests use; a store with a prefix of its own stands in here.
  it("neither sees nor changes a dev server's entries under the same key", async () => {
    const dev = createMemcachedStore(client, `dev:${randomUUID()}:`);
    await dev.set('greeting', 'from the dev server', 5);
    expect(await store.get('greeting')).toBeUndefined();
    await store.set('greeting', 'from the test', 5);
    await store.delete('greeting');
    expect(await dev.get('greeting')).toBe('from the dev server');
    await dev.delete('greeting');
  });
});
