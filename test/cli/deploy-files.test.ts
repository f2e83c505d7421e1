import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { valuesOf } from '../../src/catalogue.js';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { imageFiles, kubernetesFiles } from './file-lists.js';

const quiet = ['--no-install', '--no-git'];

async function generate(args: string[]) {
  const cwd = scratchDir();
  const result = await runCli(['app', '--yes', ...quiet, ...args], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  const dir = path.join(cwd, 'app');
  return { dir, read: (file: string) => readFileSync(path.join(dir, file), 'utf8') };
}

/** The server each catalogue value brings into compose, and the port it listens on. */
const impliedServers: Record<string, { service: string; port: number }> = {
  postgres: { service: 'db', port: 5432 },
  mysql: { service: 'db', port: 3306 },
  redis: { service: 'redis', port: 6379 },
  memcached: { service: 'memcached', port: 11211 },
};

// Every value that brings a server, alone beside the defaults, plus the defaults and an open API.
const composeCases: [string, string[], string[]][] = [
  ['the defaults', [], []],
  ['no auth, no cache', ['--auth', 'none', '--cache', 'none'], []],
  ...(['db', 'cache'] as const).flatMap((kind) =>
    valuesOf(kind)
      .filter((value) => value in impliedServers)
      .map((value): [string, string[], string[]] => [`--${kind} ${value}`, [`--${kind}`, value], [value]]),
  ),
];

describe.each(composeCases)('docker-compose.yml for %s', (_, args, servers) => {
  it('runs a one-shot migration, then the api, with each implied server healthy first', async () => {
    const { read } = await generate(args);
    const compose = parseYaml(read('docker-compose.yml'), { merge: true });
    const expected = servers.map((value) => impliedServers[value] as { service: string; port: number });
    // The default --monitoring prometheus adds Prometheus and Grafana; the app waits for neither.
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'migrate', 'grafana', 'prometheus', ...expected.map((server) => server.service)].sort(),
    );
    const { api, migrate } = compose.services;
    expect(Object.keys(api.depends_on)).not.toContain('prometheus');
    expect(api.ports).toEqual(['3000:3000']);
    expect(api.depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(migrate.command).toEqual(['node', 'scripts/db-migrate.js']);
    expect(migrate.restart).toBe('no');
    expect(api.environment).toEqual(migrate.environment);
    expect(api.environment.NODE_ENV).toBe('production');
    expect('JWT_SECRET' in api.environment).toBe(!args.includes('none'));
    for (const { service, port } of expected) {
      const server = compose.services[service];
      expect(server.healthcheck?.test, `${service} health check`).toBeDefined();
      expect(server.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(api.depends_on[service]).toEqual({ condition: 'service_healthy' });
      expect(migrate.depends_on[service]).toEqual({ condition: 'service_healthy' });
    }
    // Every variable the app reads in compose is one the project documents.
    const documented = read('.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(documented).toEqual(expect.arrayContaining(Object.keys(api.environment)));
  });
});

const serverDatabases = valuesOf('db').filter((db) => db !== 'sqlite');

it.skipIf(serverDatabases.length === 0)(
  `--deploy kubernetes and docker,kubernetes with each database server: the image and the manifests${
    serverDatabases.length === 0
      ? ' (skipped: src/catalogue.ts has no database server yet, and Kubernetes needs one)'
      : ''
  }`,
  async () => {
    for (const db of serverDatabases) {
      const alone = await generate(['--db', db, '--deploy', 'kubernetes']);
      const files = listFiles(alone.dir);
      expect(files).toEqual(expect.arrayContaining(imageFiles));
      expect(files).not.toContain('docker-compose.yml');
      expect(files.filter((file) => file.startsWith('deploy/'))).toEqual(kubernetesFiles);
      expect(alone.read('.dockerignore').split('\n')).not.toContain('docker-compose.yml');
      expect(alone.read('README.md')).toContain('kubectl apply -k deploy/kubernetes');

      const both = await generate(['--db', db, '--deploy', 'docker,kubernetes']);
      expect(listFiles(both.dir)).toEqual(
        expect.arrayContaining([...imageFiles, 'docker-compose.yml', ...kubernetesFiles]),
      );
    }
  },
);
