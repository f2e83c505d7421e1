import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { type PlannedFile, type ProjectPlan, templatesRoot } from './plan.js';

/**
 * The templates compiled when the tool was built (dist/templates.js, made by tsup.config.ts),
 * by path under templates/. Run from source there are none, and each is compiled as it renders.
 */
async function precompiledTemplates(): Promise<Record<string, Parameters<typeof Handlebars.template>[0]>> {
  const built = new URL('./templates.js', import.meta.url);
  if (!existsSync(fileURLToPath(built))) return {};
  return (await import(built.href)).default;
}

/**
 * Runs the plan as a node-plop generator into `destination`: `.hbs` files go
 * through plop's Handlebars (with its case helpers), the rest are copied byte
 * for byte, and content made by the plan is written as is. The actions write
 * synchronously: a project is a few dozen small files, and a thread-pool round
 * trip per file system call would cost more than the writes themselves.
 */
export async function renderPlan(plan: ProjectPlan, destination: string): Promise<void> {
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop(undefined, { destBasePath: destination, force: false });
  // The Handlebars plop renders with (one copy, in the bundle and in node_modules).
  const { default: handlebars } = await import('handlebars');
  const precompiled = await precompiledTemplates();
  // What plop.renderString does before it compiles: its helpers (case conversions) registered.
  for (const name of plop.getHelperList())
    handlebars.registerHelper(name, plop.getHelper(name) as Handlebars.HelperDelegate);
  const renderTemplate = (source: string, data: Record<string, unknown>) => {
    const spec = precompiled[path.relative(templatesRoot, source).split(path.sep).join('/')];
    return spec ? handlebars.template(spec)(data) : plop.renderString(readFileSync(source, 'utf8'), data);
  };

  const output = (file: PlannedFile, content: string | Buffer) => {
    const target = path.join(destination, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content, { flag: 'wx' });
    return target;
  };
  const sourceOf = (file: PlannedFile) => {
    if (file.kind !== 'render' && file.kind !== 'copy') throw new Error(`${file.path} has no template`);
    return file.source;
  };
  const actionFile = (config: unknown) => (config as { file: PlannedFile }).file;

  plop.setActionType('render', (data, config) => {
    const file = actionFile(config);
    const extra = file.kind === 'render' ? file.data : undefined;
    output(file, renderTemplate(sourceOf(file), extra ? { ...data, ...extra } : data));
    return file.path;
  });
  plop.setActionType('copy', (_data, config) => {
    const file = actionFile(config);
    const target = path.join(destination, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(sourceOf(file), target);
    chmodSync(target, statSync(sourceOf(file)).mode);
    return file.path;
  });
  plop.setActionType('write', (_data, config) => {
    const file = actionFile(config);
    output(file, file.kind === 'write' ? file.content : '');
    return file.path;
  });

  plop.setActionType('derive', (_data, config) => {
    const file = actionFile(config);
    if (file.kind !== 'derive') throw new Error(`${file.path} is not derived`);
    output(file, file.derive(readFileSync(path.join(destination, file.from), 'utf8')));
    return file.path;
  });

  // Derived files last: they read files the other actions render.
  const ordered = [
    ...plan.files.filter((file) => file.kind !== 'derive'),
    ...plan.files.filter((file) => file.kind === 'derive'),
  ];
  plop.setGenerator('project', {
    description: 'a new create-sound-backend project',
    prompts: [],
    actions: ordered.map((file) => ({ type: file.kind, file, abortOnFail: true })),
  });

  // Snippets kept in `_places/` templates are rendered first: the shared templates see text only.
  const places = Object.fromEntries(
    Object.entries(plan.data.places).map(([name, texts]) => [
      name,
      texts.map((text) =>
        typeof text === 'string'
          ? text
          : renderTemplate(text.source, plan.data as unknown as Record<string, unknown>).replace(/\n$/, ''),
      ),
    ]),
  );
  const result = await plop
    .getGenerator('project')
    .runActions({ ...plan.data, places } as unknown as Record<string, unknown>);
  if (result.failures.length > 0) {
    const failure = result.failures[0] as { path?: string; error?: string };
    throw new Error(`Rendering ${failure.path ?? 'a file'} failed: ${failure.error ?? 'unknown error'}`);
  }
}
