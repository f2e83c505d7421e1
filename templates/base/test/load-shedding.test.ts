import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import errors from '../src/plugins/errors.js';
import loadShedding from '../src/plugins/load-shedding.js';
import requestId from '../src/plugins/request-id.js';
import { expectProblem } from './helpers.js';

describe('load shedding', async () => {
  const app = Fastify();
  await app.register(errors);
  await app.register(requestId);
  // Any heap is over a 1-byte limit: the process reads as saturated from the first sample.
  await app.register(loadShedding, { maxHeapUsedBytes: 1, sampleInterval: 10 });
  app.get('/work', async () => ({ done: true }));
  await app.ready();
  afterAll(() => app.close());

  it('answers 503 with Retry-After while saturated', async () => {
    await sleep(100);
    const response = await app.inject('/work');
    const problem = expectProblem(response, 503);
    expect(problem.detail).not.toMatch(/heap|pressure/i);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});
