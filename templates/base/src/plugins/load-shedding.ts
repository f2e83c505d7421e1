import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import fp from 'fastify-plugin';

export type LoadSheddingOptions = Pick<
  FastifyUnderPressureOptions,
  'maxEventLoopDelay' | 'maxHeapUsedBytes' | 'sampleInterval'
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false`: the route answers while the process sheds load. Liveness, so a busy instance is
     * not restarted, and the metrics scrape, so a saturated one can still be seen.
     */
    shed?: boolean;
    /** Read by under-pressure for the route: what to do instead of answering 503. */
    pressureHandler?: () => undefined;
  }
}

/** Lets a request through while the process sheds load. */
const letThrough = () => undefined;

/** `--max-semi-space-size` in MB, when the command line or NODE_OPTIONS sets it. */
function semiSpaceFlag(): number | undefined {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const values = args.map((arg) => /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(arg)?.[1]);
  const last = values.findLast((value) => value !== undefined);
  return last === undefined ? undefined : Number(last);
}

/**
 * What the heap can hold in long-lived objects before the process dies: V8's heap limit less the
 * young generation's share, three semi-spaces of 64 MB each from Node 24 on (16 MB before) unless
 * `--max-semi-space-size` says otherwise. On Node 24 with `--max-old-space-size=256` the heap
 * limit reads 448 MB and the process dies at 256 MB in use, so a share of the heap limit alone
 * would never be reached.
 */
export function oldGenerationLimit(): number {
  const semiSpaceMb =
    semiSpaceFlag() ?? (Number(process.versions.node.split('.')[0]) >= 24 ? 64 : 16);
  return getHeapStatistics().heap_size_limit - 3 * semiSpaceMb * 2 ** 20;
}

/**
 * Answers 503 + Retry-After while the process is saturated, so a load balancer sends
 * traffic elsewhere instead of queueing it here: when the event loop lags (work waits
 * `maxEventLoopDelay` ms before it runs; the app passes LOAD_SHED_EVENT_LOOP_DELAY_MS, a
 * second by default), or when the heap nears its limit (past about 80% of it the garbage
 * collector runs nearly without pause, and at the limit the process dies). Not on event-loop
 * utilisation: a process at full speed is busy all the time without keeping anyone waiting,
 * and shedding it then turns good answers into 503s. Readiness stays in /health/ready: a failing
 * under-pressure healthCheck would turn every route into a 503.
 */
export default fp<LoadSheddingOptions>(
  async (fastify, opts) => {
    // Liveness answers 200 while the process runs, saturated or not: a 503 there would have the
    // orchestrator restart a busy instance and move its load onto the others.
    fastify.addHook('onRoute', (route) => {
      if (route.config?.shed === false) {
        route.config = { ...route.config, pressureHandler: letThrough };
      }
    });
    await fastify.register(underPressure, {
      maxHeapUsedBytes: Math.floor(oldGenerationLimit() * 0.8),
      retryAfter: 10,
      ...opts,
    });
  },
  { name: 'load-shedding' },
);
