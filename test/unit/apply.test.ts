import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/apply.js';
import { scratchDir } from '../helpers.js';

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('applyChanges', () => {
  it('creates, replaces and deletes, keeps overridden user files as .orig, removes emptied folders', async () => {
    const dir = scratchDir('csb-apply-');
    mkdirSync(path.join(dir, 'src/cache'), { recursive: true });
    writeFileSync(path.join(dir, 'src/app.ts'), 'mine');
    writeFileSync(path.join(dir, 'src/cache/memory.ts'), 'old cache');
    writeFileSync(path.join(dir, 'sound-backend.json'), '{}');
    const kept = await applyChanges(
      dir,
      [
        {
          path: 'src/app.ts',
          action: 'update',
          before: Buffer.from('mine'),
          after: Buffer.from('new'),
          overridesUser: 'changed',
        },
        { path: 'src/cache/memory.ts', action: 'delete', before: Buffer.from('old cache') },
        { path: 'src/plugins/cache.ts', action: 'create', after: Buffer.from('plugin') },
      ],
      { path: 'sound-backend.json', content: '{"v":2}' },
    );
    expect(kept).toEqual(['src/app.ts.orig']);
    expect(read(dir, 'src/app.ts')).toBe('new');
    expect(read(dir, 'src/app.ts.orig')).toBe('mine');
    expect(read(dir, 'src/plugins/cache.ts')).toBe('plugin');
    expect(read(dir, 'sound-backend.json')).toBe('{"v":2}');
    expect(existsSync(path.join(dir, 'src/cache'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['sound-backend.json', 'src']);
  });

  it('puts everything back when a write fails half way', async () => {
    const dir = scratchDir('csb-apply-');
    writeFileSync(path.join(dir, 'a.ts'), 'a1');
    writeFileSync(path.join(dir, 'gone.ts'), 'g');
    // A file where the change needs a folder: the last move fails.
    writeFileSync(path.join(dir, 'blocker'), 'mine');
    writeFileSync(path.join(dir, 'sound-backend.json'), '{"v":1}');
    await expect(
      applyChanges(
        dir,
        [
          { path: 'a.ts', action: 'update', before: Buffer.from('a1'), after: Buffer.from('a2') },
          { path: 'gone.ts', action: 'delete', before: Buffer.from('g') },
          { path: 'new/b.ts', action: 'create', after: Buffer.from('b') },
          { path: 'blocker/c.ts', action: 'create', after: Buffer.from('c') },
        ],
        { path: 'sound-backend.json', content: '{"v":2}' },
      ),
    ).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readdirSync(dir).sort()).toEqual(['a.ts', 'blocker', 'gone.ts', 'sound-backend.json']);
    expect(read(dir, 'a.ts')).toBe('a1');
    expect(read(dir, 'gone.ts')).toBe('g');
    expect(read(dir, 'blocker')).toBe('mine');
    expect(read(dir, 'sound-backend.json')).toBe('{"v":1}');
  });
});
