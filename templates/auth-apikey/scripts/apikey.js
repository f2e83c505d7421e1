// `npm run apikey:create` and `apikey:revoke` must work in a checkout (no build needed) and in
// the runtime image, which ships dist/ without src/ or the dev dependency tsx.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/apikey.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/apikey.ts');
} else {
  await import('../dist/apikey.js');
}
