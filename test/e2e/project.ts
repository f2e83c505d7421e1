import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { projectEnv } from '../project-node.js';

/** Runs one of the generated project's package scripts on its Node and fails with its output if it fails. */
export async function npmRun(
  dir: string,
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<string> {
  const result = await execa('npm', ['run', script, ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: dir,
    reject: false,
    all: true,
    // Plain text, so the summary lines can be read.
    env: projectEnv({ NO_COLOR: '1', FORCE_COLOR: '0', ...env }),
  });
  expect(result.exitCode, `npm run ${script} failed:\n${result.all}`).toBe(0);
  return result.all ?? '';
}

/** `npm install` in a project grown after its first install, on its Node; fails with npm's output. */
export async function npmInstall(dir: string): Promise<void> {
  const installed = await execa('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: dir,
    reject: false,
    all: true,
    env: projectEnv(),
  });
  expect(installed.exitCode, installed.all).toBe(0);
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts the built server with the node command of its `start` script (node as PID 1, as the
 * image runs it, with `--import ./dist/instrumentation.js` when it traces), on the project's Node,
 * and waits for its liveness probe.
 */
export async function startServer(
  dir: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const { scripts } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...args] = scripts.start.split(' ');
  expect(command, scripts.start).toBe('node');
  // A fixed PORT in `env` (a server restarted where its clients expect it), else a free one.
  const port = env.PORT === undefined ? await freePort() : Number(env.PORT);
  const child = spawn('node', args, {
    cwd: dir,
    env: { ...process.env, ...projectEnv({ HOST: '127.0.0.1', ...env, PORT: String(port) }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output}`);
    const up = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { url, child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${output}`);
}

/** A database server on this machine that the server-database projects are tested against. */
export interface DatabaseServer {
  name: string;
  port: number;
  /** DATABASE_URL of the server's own database; the projects make theirs beside it. */
  url: string;
}

/**
 * Why the tests of `server` cannot run, or undefined when it answers. With
 * SOUND_REQUIRE_SERVICES=1 (CI) an unreachable server fails the run instead.
 */
export async function unreachable(server: DatabaseServer): Promise<string | undefined> {
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const answer = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(2_000);
    socket.on('connect', () => answer(true));
    socket.on('error', () => answer(false));
    socket.on('timeout', () => answer(false));
  });
  if (reachable) return undefined;
  const reason = `${server.name} is not reachable on 127.0.0.1:${server.port}`;
  if (process.env.SOUND_REQUIRE_SERVICES === '1') {
    throw new Error(`${reason}, and SOUND_REQUIRE_SERVICES=1 requires it (.ci/services.sh starts it)`);
  }
  process.stderr.write(`skipping the ${server.name} project: ${reason}\n`);
  return reason;
}

/** Runs a TypeScript snippet with the generated project's own tsx and modules; returns stdout. */
export async function runInProject(dir: string, code: string, env: Record<string, string>): Promise<string> {
  const result = await execa('node', ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: dir,
    reject: false,
    all: true,
    env: projectEnv(env),
  });
  expect(result.exitCode, result.all).toBe(0);
  return result.stdout.trim();
}

/** The key `npm run apikey:create` printed: alone on its line. */
export const apiKeyIn = (output: string) => /^\s+(sk_\S+)$/m.exec(output)?.[1] ?? '';

const base64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/**
 * A stand-in OpenID provider on a loopback port for an OAuth2 project started in a test: one
 * ES256 key, its JWKS, and tokens signed with it (node:crypto only, so the tool needs no jose).
 */
export async function startIdentityProvider() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] });
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const env = {
    OIDC_ISSUER: 'https://id.e2e.example/',
    OIDC_AUDIENCE: 'https://api.e2e.example',
    OIDC_JWKS_URL: `http://127.0.0.1:${address.port}/jwks.json`,
  };
  return {
    env,
    /** A token for `sub` with these scopes, valid for ten minutes. */
    token(sub: string, scope: string): string {
      const now = Math.floor(Date.now() / 1000);
      const input = `${base64url({ alg: 'ES256', kid, typ: 'JWT' })}.${base64url({
        iss: env.OIDC_ISSUER,
        aud: env.OIDC_AUDIENCE,
        sub,
        scope,
        iat: now,
        exp: now + 600,
      })}`;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${base64url(signature)}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Span {
  traceId: string;
  spanId: string;
  name: string;
  attributes?: { key: string }[];
}

/** An OTLP/HTTP (JSON) receiver standing in for the collector: it keeps every span sent to it. */
export async function otlpReceiver() {
  const spans: Span[] = [];
  const receiver = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const { resourceSpans = [] } = JSON.parse(body || '{}') as {
        resourceSpans?: { scopeSpans: { spans: Span[] }[] }[];
      };
      spans.push(...resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    async span(match: (span: Span) => boolean): Promise<Span> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const found = spans.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no such span among ${JSON.stringify(spans.map((span) => span.name))}`);
    },
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}
