import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { create, snapshotOf } from './projects.js';

describe('extract refuses, one line per reason, and writes nothing', () => {
  let shop: string;
  beforeAll(async () => {
    shop = await create(['--db', 'postgres', '--auth', 'jwt']);
    for (const resource of [
      ['customers', 'name:string'],
      ['orders', 'customer:references', 'total:integer'],
    ]) {
      const added = await runCli(['add', 'resource', ...resource, '--cwd', shop]);
      expect(added.exitCode, added.stderr).toBe(0);
    }
  });

  it('a module another module imports, into a folder inside the project, on the monolith port', async () => {
    mkdirSync(path.join(shop, 'notes'), { recursive: true });
    writeFileSync(path.join(shop, 'notes/todo.md'), 'split customers out\n');
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'customers', '--to', 'notes', '--port', '3000'], { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'orders.customerId references customers: the code of orders joins the customers table and embeds its rows, so customers stays while orders references it.',
      "src/modules/orders/repository.ts:5 imports the table customers from '../../db/schema.js', which would leave with customers.",
      "src/modules/orders/schemas.ts:2 imports '../customers/schemas.js', which would leave with customers.",
      `--to ${path.join(shop, 'notes')} is not empty (1 entry): the service needs an empty or new folder.`,
      `--to ${path.join(shop, 'notes')} is inside the project: the service is a project of its own, beside it.`,
      "--port 3000 is the monolith's port: give the service another one, like 3001.",
    ]);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it('an unknown module, named with the ones it takes', async () => {
    const result = await runCli(['extract', 'invoices', '--cwd', shop]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Unknown module "invoices": extract takes a resource added with add resource (customers, orders).',
    );
    expect(existsSync(path.join(shop, '../invoices-service'))).toBe(false);
  });

  it('a folder with no manifest', async () => {
    const dir = scratchDir('csb-extract-');
    const result = await runCli(['extract', 'orders'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `${dir} has no sound-backend.json: extract runs inside a project create-sound-backend generated (or pass --cwd <dir>).`,
    );
    expect(existsSync(path.join(dir, '../orders-service'))).toBe(false);
  });

  it('--help describes it, and the main help lists it', async () => {
    const help = await runCli(['extract', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/extract <module> \[--to <dir>\] \[--port <n>\]/);
    expect((await runCli(['--help'])).stdout).toMatch(/extract <module> +move a resource/);
  });
});
