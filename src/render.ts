import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectPlan } from './plan.js';

/**
 * Runs the plan as a node-plop generator into `destination`: `.hbs` files go
 * through plop's Handlebars (with its case helpers), the rest are copied byte
 * for byte, and content made by the plan is written as is.
 */
export async function renderPlan(plan: ProjectPlan, destination: string): Promise<void> {
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop(undefined, { destBasePath: destination, force: false });

  plop.setActionType('copy', async (_answers, config) => {
    const { source, path: target } = config as unknown as { source: string; path: string };
    const file = path.join(destination, target);
    await mkdir(path.dirname(file), { recursive: true });
    await copyFile(source, file);
    await chmod(file, (await stat(source)).mode);
    return target;
  });
  plop.setActionType('write', async (_answers, config) => {
    const { content, path: target } = config as unknown as { content: string; path: string };
    const file = path.join(destination, target);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return target;
  });

  plop.setGenerator('project', {
    description: 'a new create-sound-backend project',
    prompts: [],
    actions: plan.files.map((file) =>
      file.kind === 'render'
        ? { type: 'add', path: file.path, templateFile: file.source, abortOnFail: true }
        : { ...file, type: file.kind, abortOnFail: true },
    ),
  });

  const result = await plop.getGenerator('project').runActions(plan.data as unknown as Record<string, unknown>);
  if (result.failures.length > 0) {
    const failure = result.failures[0] as { path?: string; error?: string };
    throw new Error(`Rendering ${failure.path ?? 'a file'} failed: ${failure.error ?? 'unknown error'}`);
  }
}

/** Reads a rendered file back, for hashing. */
export function readRendered(destination: string, file: string): Promise<Buffer> {
  return readFile(path.join(destination, file));
}
