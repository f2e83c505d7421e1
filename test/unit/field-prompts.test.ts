import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { add } from '../../src/add/index.js';
import { parseAddArgs, parseCreateArgs } from '../../src/args.js';
import { create } from '../../src/create.js';
import { CancelledError } from '../../src/errors.js';
import { askFields, type FieldPrompts } from '../../src/field-prompts.js';
import { scratchDir } from '../helpers.js';

type Answer = string | boolean | Error;

/**
 * Prompts that answer from a script, in order, as a person would type: a text answer its validate
 * refuses is shown the reason (kept in `refused`) and the next answer is taken instead; a select
 * answer must be one of the options offered.
 */
function scripted(answers: Answer[]) {
  const refused: string[] = [];
  const warnings: string[] = [];
  const next = (message: string): Answer => {
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`No answer left for "${message}"`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const prompts: FieldPrompts = {
    async text({ message, validate }) {
      for (;;) {
        const answer = String(next(message));
        const problem = validate?.(answer);
        if (problem === undefined) return answer;
        refused.push(`${answer}: ${problem}`);
      }
    },
    async select({ message, options }) {
      const answer = String(next(message));
      const values = options.map((option) => option.value);
      if (!values.includes(answer as never)) throw new Error(`"${answer}" is not offered for "${message}": ${values}`);
      return answer as never;
    },
    async confirm({ message }) {
      const answer = next(message);
      if (typeof answer !== 'boolean') throw new Error(`"${message}" takes yes or no`);
      return answer;
    },
    warn(message) {
      warnings.push(message);
    },
  };
  return { prompts, refused, warnings, left: answers };
}

describe('askFields', () => {
  it('asks one field at a time until an empty name, and gives what the command line would record', async () => {
    const { prompts, left } = scripted([
      'title',
      'string',
      '120',
      false,
      true,
      'total',
      'decimal',
      '',
      '',
      false,
      false,
      'status',
      'enum',
      'open, paid',
      false,
      false,
      'customer',
      'references',
      'customers',
      true,
      false,
      'set-null',
      'notes',
      'text',
      true,
      '',
    ]);
    const fields = await askFields('orders', ['customers', 'items'], prompts);
    expect(fields).toEqual([
      { name: 'title', type: 'string', length: 120, unique: true },
      { name: 'total', type: 'decimal', precision: 10, scale: 2 },
      { name: 'status', type: 'enum', values: ['open', 'paid'] },
      { name: 'customerId', type: 'references', references: 'customers', optional: true, onDelete: 'set-null' },
      // Text cannot be unique: not asked.
      { name: 'notes', type: 'text', optional: true },
    ]);
    expect(left).toEqual([]);
  });

  it('asks again for a name that is invalid, reserved or taken, and for a scale beyond the precision', async () => {
    const { prompts, refused } = scripted([
      'Price',
      'id',
      'unit_price',
      'decimal',
      '5',
      '6',
      '2',
      false,
      false,
      'unitPrice',
      'price',
      'integer',
      false,
      false,
      '',
    ]);
    const fields = await askFields('products', ['items'], prompts);
    expect(fields.map((field) => field.name)).toEqual(['unitPrice', 'price']);
    expect(fields[0]).toMatchObject({ precision: 5, scale: 2 });
    expect(refused).toEqual([
      expect.stringMatching(/^Price: "Price" is not a field name/),
      expect.stringMatching(/^id: "id" is reserved/),
      '6: the scale cannot exceed the precision',
      'unitPrice: products has a field unitPrice already',
    ]);
  });

  it('offers set-null only to an optional reference', async () => {
    const required = scripted(['item', 'references', 'items', false, false, 'set-null']);
    await expect(askFields('orders', ['items'], required.prompts)).rejects.toThrow(/"set-null" is not offered/);
    const optional = scripted(['item', 'references', 'items', true, false, 'set-null', '']);
    expect(await askFields('orders', ['items'], optional.prompts)).toEqual([
      { name: 'itemId', type: 'references', references: 'items', optional: true, onDelete: 'set-null' },
    ]);
  });

  it("leaves out a reference whose id is another field's name, and says so", async () => {
    const { prompts, warnings } = scripted([
      'itemId',
      'uuid',
      false,
      false,
      'item',
      'references',
      'items',
      false,
      false,
      'cascade',
      '',
    ]);
    expect(await askFields('orders', ['items'], prompts)).toEqual([{ name: 'itemId', type: 'uuid' }]);
    expect(warnings).toEqual(['orders has a field itemId already: item is left out.']);
  });
});

/** A project as create writes it, without install or git. */
async function project(): Promise<string> {
  const cwd = scratchDir();
  const stdout = new PassThrough().resume();
  const args = parseCreateArgs(['app', '--no-install', '--no-git', '--yes']);
  const ctx = { cwd, env: {}, interactiveTerminal: false, stdout, stderr: new PassThrough().resume() };
  expect(await create(args, ctx)).toBe(0);
  return path.join(cwd, 'app');
}

const resourcesOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8')).resources;

async function addResource(dir: string, argv: string[], answers: Answer[], interactiveTerminal = true) {
  const stdout = new PassThrough().resume();
  const ctx = {
    cwd: dir,
    stdout,
    stderr: new PassThrough().resume(),
    interactiveTerminal,
    env: {},
    fieldPrompts: scripted(answers).prompts,
    now: () => Date.UTC(2026, 11, 5),
  };
  return add(parseAddArgs(['resource', ...argv]), ctx);
}

describe('add resource <name> with no fields', () => {
  it('in a terminal, records the fields it was given', async () => {
    const dir = await project();
    const answers = [
      'total',
      'decimal',
      '12',
      '3',
      false,
      false,
      'item',
      'references',
      'items',
      false,
      false,
      'cascade',
      '',
    ];
    expect(await addResource(dir, ['orders'], answers)).toBe(0);
    expect(resourcesOf(dir)).toEqual([
      {
        name: 'orders',
        createdAt: Date.UTC(2026, 11, 5),
        migration: '0001_orders',
        fields: [
          { name: 'total', type: 'decimal', precision: 12, scale: 3 },
          { name: 'itemId', type: 'references', references: 'items', onDelete: 'cascade' },
        ],
      },
    ]);
  });

  it('exits 130 on a cancelled prompt and changes nothing', async () => {
    const dir = await project();
    const before = readFileSync(path.join(dir, 'sound-backend.json'), 'utf8');
    await expect(addResource(dir, ['orders'], ['title', new CancelledError()])).rejects.toMatchObject({
      exitCode: 130,
    });
    expect(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'src/modules/orders'))).toBe(false);
  });

  it('never asks without a terminal, with --yes or with --json: the resource has no fields', async () => {
    const dir = await project();
    const asked = [new Error('asked')];
    expect(await addResource(dir, ['orders'], asked, false)).toBe(0);
    expect(await addResource(dir, ['customers', '--yes'], asked)).toBe(0);
    expect(await addResource(dir, ['products', '--json'], asked)).toBe(0);
    expect(resourcesOf(dir).map((record: object) => Object.keys(record))).toEqual([
      ['name', 'createdAt', 'migration'],
      ['name', 'createdAt', 'migration'],
      ['name', 'createdAt', 'migration'],
    ]);
  });
});
