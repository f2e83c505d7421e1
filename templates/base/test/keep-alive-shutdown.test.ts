import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('graceful shutdown with keep-alive clients', () => {
  it('closes a kept-alive connection once its in-flight request is answered, and exits 0 at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keep-alive-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/slow-server.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dataDir, 'app.db')}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', () => reject(new Error('server exited before listening')));
    });

    // A pooling client, as a load balancer is: the connection stays open after the response.
    const agent = new Agent({ keepAlive: true });
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request({ port, path: '/slow', host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    await sleep(300);
    const signalled = Date.now();
    child.kill('SIGTERM');

    expect(await inFlight).toBe(200);
    expect(await exited).toBe(0);
    // The slow route takes 1.5 s; waiting for the 10 s deadline would take far longer.
    expect(Date.now() - signalled).toBeLessThan(5_000);
    agent.destroy();
  });
});
