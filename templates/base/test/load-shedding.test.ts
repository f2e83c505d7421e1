import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import errors from '../src/plugins/errors.js';
import loadShedding from '../src/plugins/load-shedding.js';
import requestId from '../src/plugins/request-id.js';
import { expectProblem } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('load shedding', async () => {
  const app = Fastify();
  await app.register(errors);
  await app.register(requestId);
  // Any heap is over a 1-byte limit: the process reads as saturated from the first sample.
  await app.register(loadShedding, { maxHeapUsedBytes: 1, sampleInterval: 10 });
  app.get('/work', async () => ({ done: true }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  await app.ready();
  afterAll(() => app.close());

  it('answers 503 with Retry-After while saturated', async () => {
    await sleep(100);
    const response = await app.inject('/work');
    const problem = expectProblem(response, 503);
    expect(problem.detail).not.toMatch(/heap|pressure/i);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps answering liveness while saturated, so the instance is not restarted', async () => {
    await sleep(100);
    expect((await app.inject('/work')).statusCode).toBe(503);
    const live = await app.inject('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
  });

  it('sheds by default when the heap nears its limit, and not before', async () => {
    const requestWithHeapAt = async (fill: number) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--max-old-space-size=256',
          '--import',
          'tsx',
          'test/fixtures/memory-pressure.ts',
          String(fill),
        ],
        { cwd: root },
      );
      return JSON.parse(stdout);
    };
    expect(await requestWithHeapAt(0.5)).toMatchObject({ status: 200 });
    expect(await requestWithHeapAt(0.82)).toMatchObject({ status: 503, retryAfter: '10' });
    // Two Node processes that load TypeScript and fill 128 and 210 MB of heap: seconds on an idle
    // machine, over the default 20 s on a busy 2-core CI runner.
  }, 90_000);
});
