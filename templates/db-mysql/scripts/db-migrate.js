// `npm run db:migrate` must work in a checkout (no build needed) and in the runtime
// image, which ships dist/ without src/ or the dev dependency tsx.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/migrate.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/migrate.ts');
} else {
  await import('../dist/migrate.js');
}
