// CPU per request of servers already built, measured one after another in interleaved rounds: the
// server pinned to core 0, autocannon (bench/load.mjs) to core 1, 3 s of load uncounted, then 8 s
// whose utime + stime (/proc/<pid>/stat) are divided by the requests answered. For when req/s is
// too noisy to rank variants (issue 26). Usage:
//   PEERS=<dir with autocannon installed> node bench/cpu-per-request.mjs <rounds> <variant>...
// variant = name|dir[#script]|route[|ENV=value,...[|profile]]: dir is a generated project started by
// its start script (or by the script named), route is `read` (a new user's cached
// GET /v1/items/:id), `live` (/health/live), `root` (/, the bench's bare servers) or `peer`
// (lean-read.mjs's item); a fifth field writes a --cpu-prof profile to /tmp/prof-<name>.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { answers, cachedItem } from './http.mjs';

const [rounds, ...specs] = process.argv.slice(2);
const port = 4711;
const peerItem = '6f1c8d1e-8c1a-4f7b-9a55-0d2f5b0c1a11';

/** Seconds of CPU the process has used; /proc counts in 1/100 s. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(dirAndScript, env, nodeArgs) {
  const [dir, script] = dirAndScript.split('#');
  const args = script
    ? [script]
    : JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'))
        .scripts.start.split(' ')
        .slice(1);
  const child = spawn('taskset', ['-c', '0', 'node', ...nodeArgs, ...args], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '100000000',
      JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
      // A machine that holds the event loop for a second must not make the server shed the load.
      LOAD_SHED_EVENT_LOOP_DELAY_MS: '60000',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', openSync(`/tmp/cpu-per-request-${Date.now()}.log`, 'a'), 'inherit'],
  });
  const probe = `http://127.0.0.1:${port}/${script ? '' : 'health/live'}`;
  for (let i = 0; i < 300; i++) {
    if (await answers(probe)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${dirAndScript} did not start`);
}

/** The URL and headers to load: for `read`, a new user's item, read once so that it is cached. */
async function target(base, route, env) {
  if (route === 'live') return { url: `${base}/health/live`, headers: {} };
  if (route === 'root') return { url: `${base}/`, headers: {} };
  if (route === 'peer') return { url: `${base}/v1/items/${peerItem}`, headers: { authorization: env.AUTHORIZATION } };
  const { url, authorization } = await cachedItem(base, 'cpu');
  return { url, headers: { authorization } };
}

function load(url, headers, duration) {
  const options = JSON.stringify({ url, connections: 50, duration, headers });
  const loader = new URL('load.mjs', import.meta.url).pathname;
  const out = execFileSync('taskset', ['-c', '1', 'node', loader, process.env.PEERS, options], {
    maxBuffer: 1 << 26,
  });
  const report = JSON.parse(out);
  if (report.non2xx > 0 || report.errors > 0) throw new Error(`${url}: ${report.non2xx} answers were not 2xx`);
  return report;
}

const results = new Map();
for (let round = 0; round < Number(rounds); round++) {
  // The order turns each round, so that no variant always runs first or last.
  for (const spec of round % 2 ? [...specs].reverse() : specs) {
    const [name, dir, route, envList = '', profile = ''] = spec.split('|');
    const env = Object.fromEntries(
      envList
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=')),
    );
    if (route === 'peer') {
      Object.assign(env, { AUTHORIZATION: 'Bearer peer-token', ITEM_ID: peerItem, LIMITER: 'plugin', SHED: '1' });
    }
    env.LOG_FILE ??= `/tmp/cpu-per-request-${name}.log`;
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=/tmp/prof-${name}`] : [];
    const child = await start(dir, env, nodeArgs);
    const { url, headers } = await target(`http://127.0.0.1:${port}`, route, env);
    load(url, headers, 3);
    const before = cpuSeconds(child.pid);
    const report = load(url, headers, 8);
    const used = cpuSeconds(child.pid) - before;
    const perRequest = (used * 1e6) / report.requests.total;
    if (!results.has(name)) results.set(name, []);
    results.get(name).push(perRequest);
    const busy = ((used / 8) * 100).toFixed(0);
    console.log(
      `round ${round} ${name}: ${perRequest.toFixed(1)} µs/req, ${report.requests.total} requests, busy ${busy}%`,
    );
    child.kill('SIGINT');
    await once(child, 'exit');
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [name, values] of results) {
  console.log(`${name}: median ${median(values).toFixed(1)} µs [${values.map((v) => v.toFixed(1)).join(', ')}]`);
}
