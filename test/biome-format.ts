import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

/**
 * `code` as Biome itself prints it with the generated projects' settings: what it prints is what
 * their lint accepts. `file` names the language (`.ts`, `.json`).
 */
export const biomeFormat = (code: string, file = 'code.ts') =>
  execFileSync(
    process.execPath,
    [
      biome,
      'format',
      '--indent-style=space',
      '--line-width=100',
      '--javascript-formatter-quote-style=single',
      `--stdin-file-path=${file}`,
    ],
    { input: code, encoding: 'utf8' },
  );
