import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/catalogue.js';
import { sha256 } from '../../src/changes.js';
import { planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { repoRoot, runCli, scratchDir } from '../helpers.js';

// The built command renders with the templates compiled at build time (dist/templates.js); from
// source each template is compiled as it renders. Both must write the same bytes, or the build
// has gone stale against templates/.
describe('templates compiled at build time', () => {
  const presets = {
    default: [],
    'every option': ['--preset', path.join(repoRoot, 'bench/full-project.json')],
  };
  for (const [label, args] of Object.entries(presets)) {
    it(`render what the templates render from source: ${label}`, async () => {
      const cwd = scratchDir('csb-precompiled-');
      const result = await runCli(['shop-api', '--yes', '--no-install', '--no-git', ...args], { cwd });
      expect(result.exitCode, result.stderr).toBe(0);
      const built = path.join(cwd, 'shop-api');
      const manifest = JSON.parse(readFileSync(path.join(built, 'sound-backend.json'), 'utf8'));
      const { pm, ...stack } = manifest.options;

      const fromSource = await renderProject(
        planProject({ name: 'shop-api', stack: stack as Stack, pm }, manifest.version),
      );
      expect([...fromSource.keys()].sort()).toEqual(Object.keys(manifest.files).sort());
      for (const [file, { content }] of fromSource) expect(sha256(content), file).toBe(manifest.files[file]);
    });
  }
});
