import { describe, expect, it } from 'vitest';
import { describeNotes, upgradeNotes } from '../../src/upgrade/notes.js';

const project = (files: Record<string, string>) => new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
const pkg = (dependencies: Record<string, string>, devDependencies: Record<string, string> = {}) =>
  JSON.stringify({ name: 'app', dependencies, devDependencies });

describe('upgradeNotes', () => {
  it('lists dependencies added, changed and removed, across dependencies and devDependencies', () => {
    const notes = upgradeNotes(
      project({ 'package.json': pkg({ fastify: '^5.1.0', pino: '^9.0.0' }, { vitest: '4.0.0' }) }),
      project({ 'package.json': pkg({ fastify: '^5.2.0', undici: '^7.0.0' }, { vitest: '4.0.0' }) }),
    );
    expect(notes.dependencies).toEqual(['fastify ^5.1.0 → ^5.2.0', '+ undici ^7.0.0', '- pino ^9.0.0']);
  });

  it('lists the migrations the new version adds or changes, not the snapshots', () => {
    const notes = upgradeNotes(
      project({ 'drizzle/0000_initial.sql': 'CREATE TABLE a;', 'drizzle/0001_orders.sql': 'CREATE TABLE o;' }),
      project({
        'drizzle/0000_initial.sql': 'CREATE TABLE a;',
        'drizzle/0001_orders.sql': 'CREATE TABLE orders;',
        'drizzle/0002_tags.sql': 'CREATE TABLE t;',
        'drizzle/meta/0002_snapshot.json': '{}',
      }),
    );
    expect(notes.migrations).toEqual(['drizzle/0001_orders.sql', 'drizzle/0002_tags.sql']);
  });

  it('lists the variables .env.example gains and loses', () => {
    const notes = upgradeNotes(
      project({ '.env.example': '# port\nPORT=3000\n\nMAX_BODY=1\n' }),
      project({ '.env.example': '# port\nPORT=3000\n\nBODY_LIMIT=1\n' }),
    );
    expect(notes.variables).toEqual({ added: ['BODY_LIMIT'], removed: ['MAX_BODY'] });
  });

  it('says what to run, in order, and only what is needed', () => {
    const pm = { install: 'pnpm install', run: 'pnpm' };
    const quiet = describeNotes({ dependencies: [], migrations: [], variables: { added: [], removed: [] } }, pm);
    expect(quiet).toEqual({ lines: [], next: ['pnpm test'] });
    const busy = describeNotes(
      {
        dependencies: ['+ undici ^7.0.0'],
        migrations: ['drizzle/0002_tags.sql'],
        variables: { added: ['A'], removed: [] },
      },
      pm,
    );
    expect(busy.next).toEqual([
      'pnpm install',
      'pnpm db:migrate',
      'set A in .env where the defaults do not fit',
      'pnpm test',
    ]);
    expect(busy.lines).toEqual([
      'Dependencies:',
      '  + undici ^7.0.0',
      'Migrations:',
      '  drizzle/0002_tags.sql',
      'Environment variables:',
      '  new: A (see .env.example)',
    ]);
  });
});
