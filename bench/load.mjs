// One autocannon run for bench/run.mjs, through autocannon's API, printing its JSON report. The API
// makes each POST body anew (a new item name each time, so no 409); the command line's `[<id>]`
// replacement assumes ids of one length and sends a Content-Length the body does not have.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const [peers, json] = process.argv.slice(2);
const autocannon = createRequire(path.resolve(peers, 'package.json'))('autocannon');
const { body, method = 'GET', ...options } = JSON.parse(json);
const result = await autocannon({
  ...options,
  method,
  requests:
    body === undefined
      ? undefined
      : [{ method, setupRequest: (request) => ({ ...request, body: body.replace('[<id>]', randomUUID()) }) }],
});
process.stdout.write(JSON.stringify(result));
