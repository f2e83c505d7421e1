import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/cache/memory.js';
import { itKeepsNoStaleEntry } from './cache-races.js';

describe('memory store', () => {
  itKeepsNoStaleEntry(createMemoryStore(100));

  it('expires an entry after its TTL', async () => {
    const store = createMemoryStore(10);
    await store.set('short', 'x', 0.05);
    await store.set('long', 'y', 60);
    await sleep(80);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('long')).toBe('y');
  });

  it('evicts the least recently used entry beyond its size', async () => {
    const store = createMemoryStore(2);
    await store.set('a', 1, 60);
    await store.set('b', 2, 60);
    await store.get('a');
    await store.set('c', 3, 60);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual([
      1,
      undefined,
      3,
    ]);
  });
});
