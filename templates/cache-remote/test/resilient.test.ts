import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../src/cache/cache.js';
import { resilientStore } from '../src/cache/resilient.js';

/** A backend that can be switched between working, failing at once and never answering. */
function switchableStore() {
  const entries = new Map<string, unknown>();
  const state = { mode: 'up' as 'up' | 'failing' | 'hanging', calls: 0 };
  const run = <T>(work: () => T): Promise<T> => {
    state.calls++;
    if (state.mode === 'failing') return Promise.reject(new Error('connection refused'));
    if (state.mode === 'hanging') return new Promise<T>(() => {});
    return Promise.resolve(work());
  };
  const store: CacheStore = {
    get: (key) => run(() => entries.get(key)),
    set: (key, value) => run(() => void entries.set(key, value)),
    delete: (key) => run(() => void entries.delete(key)),
    reserve: (key, token) =>
      run(() => {
        if (entries.has(key)) return false;
        entries.set(key, token);
        return true;
      }),
    fill: (key, token, value) =>
      run(() => {
        if (entries.get(key) === token) entries.set(key, value);
      }),
  };
  return { store, entries, state };
}

function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino(
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { log, lines };
}

const options = { timeoutMs: 50, failuresToOpen: 3, probeAfterMs: 100 };

describe('resilient cache store', () => {
  it('answers a miss within the timeout when the cache hangs, then stops calling it', async () => {
    const { store, state } = switchableStore();
    let errors = 0;
    const cache = resilientStore(store, {
      ...options,
      log: capturedLog().log,
      onError: () => errors++,
    });
    state.mode = 'hanging';

    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect(await cache.get('k')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(200);
    }
    const callsWhenOpened = state.calls;
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(await cache.get('k')).toBeUndefined();
    // Had one of the 20 waited for the store, they would have taken the timeout at least.
    expect(performance.now() - started).toBeLessThan(options.timeoutMs);
    expect(state.calls).toBe(callsWhenOpened);
    expect(errors).toBe(23);
  });

  it('logs an outage once when it starts and once when it ends, and probes until it ends', async () => {
    const { store, entries, state } = switchableStore();
    const { log, lines } = capturedLog();
    const cache = resilientStore(store, { ...options, log });
    entries.set('k', 'cached');
    state.mode = 'failing';
    for (let i = 0; i < 10; i++) await cache.get('k');
    await sleep(150);
    for (let i = 0; i < 5; i++) await cache.get('k');
    expect(lines.map((line) => line.msg)).toEqual([
      'cache unavailable: reads go to the database until it answers',
    ]);

    state.mode = 'up';
    expect(await cache.get('k')).toBeUndefined(); // the circuit is still open
    await sleep(150);
    expect(await cache.get('k')).toBe('cached');
    expect(await cache.get('k')).toBe('cached');
    expect(lines.map((line) => line.msg)).toEqual([
      'cache unavailable: reads go to the database until it answers',
      'cache answers again: reads use it again',
    ]);
  });

  it('sends the deletes of an outage once the cache answers again', async () => {
    const { store, entries, state } = switchableStore();
    const cache = resilientStore(store, { ...options, log: capturedLog().log });
    entries.set('read-later', 'stale');
    entries.set('never-read', 'stale');
    entries.set('untouched', 'fresh');
    state.mode = 'failing';
    await cache.delete('read-later');
    await cache.delete('never-read');

    state.mode = 'up';
    await sleep(150);
    // The first successful call replays the deletes; a read of one of them is a miss meanwhile.
    expect(await cache.get('read-later')).toBeUndefined();
    await sleep(10);
    expect([...entries.keys()]).toEqual(['untouched']);
  });

  it('reserves nothing and drops the fill when the cache fails, so the load stores nothing', async () => {
    const { store, entries, state } = switchableStore();
    const cache = resilientStore(store, { ...options, log: capturedLog().log });
    expect(await cache.reserve('a', 'token', 60)).toBe(true);
    state.mode = 'failing';
    expect(await cache.reserve('b', 'token', 60)).toBe(false);
    await expect(cache.fill('a', 'token', 'value')).resolves.toBeUndefined();
    expect([...entries]).toEqual([['a', 'token']]);
  });

  it('drops a set that fails and passes values through while up', async () => {
    const { store, entries, state } = switchableStore();
    const cache = resilientStore(store, { ...options, log: capturedLog().log });
    await cache.set('a', { n: 1 }, 60);
    expect(await cache.get('a')).toEqual({ n: 1 });
    state.mode = 'failing';
    await expect(cache.set('b', 2, 60)).resolves.toBeUndefined();
    expect(entries.has('b')).toBe(false);
  });
});
