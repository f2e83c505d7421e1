import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'file:./data/app.db',
      DATABASE_PATH: './data/app.db',
      CORS_ORIGINS: [],
      RATE_LIMIT_MAX: 100,
      RATE_LIMIT_WINDOW_MS: 60000,
      BODY_LIMIT: 1048576,
    });
  });

  it('parses values and the CORS allowlist', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example,http://localhost:5173',
      NODE_ENV: 'production',
    });
    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'prod', CORS_ORIGINS: '*', BODY_LIMIT: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((line) => line.split(':')[0]);
      expect(names).toEqual(['PORT', 'NODE_ENV', 'CORS_ORIGINS', 'BODY_LIMIT']);
    }
  });

  it('makes the server exit 1 with one line per bad variable and no stack', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
      env: {
        PATH: process.env.PATH,
        PORT: '99999',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'postgres://nope',
      },
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^PORT: /);
    expect(lines[1]).toMatch(/^LOG_LEVEL: /);
    expect(lines[2]).toMatch(/^DATABASE_URL: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
