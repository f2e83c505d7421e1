import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { type Cache, type CacheStore, createCache } from '../src/cache/cache.js';

export interface HeldLoad {
  /** Resolves once the load has read its value, which it then holds back. */
  loaded: Promise<void>;
  /** Lets the load return the value it read. */
  release(): void;
}

/**
 * Holds back the next load `cache.wrap` runs: it reads its value (from the database), then
 * waits for `release()` before returning it, as a slow request would, so that a test can finish
 * a write in between. The load and the cache are the real ones.
 */
export function holdNextLoad(cache: Cache): HeldLoad {
  const wrap = cache.wrap;
  let loaded = () => {};
  let release = () => {};
  const hasLoaded = new Promise<void>((resolve) => {
    loaded = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  cache.wrap = <T>(key: string, ttlSeconds: number, load: () => T | Promise<T>) => {
    cache.wrap = wrap;
    return wrap(key, ttlSeconds, async () => {
      const value = await load();
      loaded();
      await released;
      return value;
    });
  };
  return { loaded: hasLoaded, release: () => release() };
}

/**
 * What createCache needs of every store so that no load stores a value a write has replaced:
 * each backend's test file runs these over its real store. Keys are new for every test.
 */
export function itKeepsNoStaleEntry(store: CacheStore) {
  const newKey = () => `stale:${randomUUID()}`;

  it('reserves only an empty key, and reads a reservation as a miss', async () => {
    const key = newKey();
    expect(await store.reserve(key, 'first', 60)).toBe(true);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.reserve(key, 'second', 60)).toBe(false);
    await store.fill(key, 'first', { n: 1 });
    expect(await store.get(key)).toEqual({ n: 1 });
    expect(await store.reserve(key, 'third', 60)).toBe(false);

    const stored = newKey();
    await store.set(stored, null, 60);
    expect(await store.reserve(stored, 'first', 60)).toBe(false);
    expect(await store.get(stored)).toBeNull();
  });

  it('fills a reservation only while the key still holds it', async () => {
    const deleted = newKey();
    await store.reserve(deleted, 'old', 60);
    await store.delete(deleted);
    await store.fill(deleted, 'old', 'stale');
    expect(await store.get(deleted)).toBeUndefined();
    // Nothing was left behind: the next load can reserve the key and fill it.
    expect(await store.reserve(deleted, 'new', 60)).toBe(true);
    await store.fill(deleted, 'old', 'stale');
    expect(await store.get(deleted)).toBeUndefined();
    await store.fill(deleted, 'new', 'fresh');
    expect(await store.get(deleted)).toBe('fresh');

    const overwritten = newKey();
    await store.reserve(overwritten, 'old', 60);
    await store.set(overwritten, 'fresh', 60);
    await store.fill(overwritten, 'old', 'stale');
    expect(await store.get(overwritten)).toBe('fresh');
  });

  // Two Cache objects over one store stand for two instances of the service over one cache.
  it('never stores a load that a write through another Cache overtook', async () => {
    const a = createCache(store, { defaultTtlSeconds: 60 });
    const b = createCache(store, { defaultTtlSeconds: 60 });
    for (let round = 0; round < 10; round++) {
      const key = newKey();
      // The database row behind `key`: changed, then deleted, each time while `a` holds a load.
      let row: string | undefined = 'old';
      const load = () => row;

      let held = holdNextLoad(a);
      let racing = a.wrap(key, 60, load);
      await held.loaded;
      row = 'new';
      await b.delete(key);
      held.release();
      expect(await racing).toBe('old');
      expect([await a.wrap(key, 60, load), await b.wrap(key, 60, load)]).toEqual(['new', 'new']);

      await b.delete(key);
      held = holdNextLoad(a);
      racing = a.wrap(key, 60, load);
      await held.loaded;
      row = undefined;
      await b.delete(key);
      held.release();
      expect(await racing).toBe('new');
      expect([await a.wrap(key, 60, load), await b.wrap(key, 60, load)]).toEqual([
        undefined,
        undefined,
      ]);
    }
  });
}
