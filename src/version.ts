import { readFileSync } from 'node:fs';

/** The generator's own version, read from its package.json (one small file read). */
export function generatorVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
