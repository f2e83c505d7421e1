import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { type PlaceText, type PlannedFile, type ProjectPlan, templatesRoot } from './plan.js';

/** One file of a rendered project: its bytes, and for a file copied from templates/ its mode. */
export interface RenderedFile {
  content: Buffer;
  mode?: number;
}

/** A rendered project: every planned file by path, in the plan's order. Nothing on disk. */
export type RenderedProject = Map<string, RenderedFile>;

type TemplateSpec = Parameters<typeof Handlebars.template>[0];
type Template = (data: Record<string, unknown>) => string;

/**
 * The templates compiled when the tool was built (dist/templates.js, made by tsup.config.ts),
 * by path under templates/. Run from source there are none, and each is compiled as it renders.
 */
async function precompiledTemplates(): Promise<Record<string, TemplateSpec>> {
  const built = new URL('./templates.js', import.meta.url);
  if (!existsSync(fileURLToPath(built))) return {};
  return (await import(built.href)).default;
}

/**
 * Turns template files into functions of the data. Built, it runs the precompiled templates on
 * the Handlebars runtime alone, so the compiler is not even loaded; a template the build does
 * not know (run from source, or a test's own) is compiled with the full Handlebars.
 */
async function templateLoader(sources: readonly string[]): Promise<(source: string) => Template> {
  const precompiled = await precompiledTemplates();
  const specOf = (source: string): TemplateSpec | undefined =>
    precompiled[path.relative(templatesRoot, source).split(path.sep).join('/')];
  const runtime = sources.some((source) => specOf(source) !== undefined)
    ? ((await import('handlebars/runtime')) as unknown as { default: typeof Handlebars }).default
    : undefined;
  const compiler = sources.some((source) => specOf(source) === undefined)
    ? (await import('handlebars')).default
    : undefined;
  const loaded = new Map<string, Template>();
  return (source) => {
    let template = loaded.get(source);
    if (template === undefined) {
      const spec = specOf(source);
      if (spec !== undefined && runtime !== undefined) template = runtime.template(spec);
      else if (compiler !== undefined) template = compiler.compile(readFileSync(source, 'utf8'));
      else throw new Error(`${source} is not a template of this plan`);
      loaded.set(source, template);
    }
    return template;
  };
}

/** What `renderProject` tells as it renders, for `src/contributions.ts`. */
export interface RenderTrace {
  /**
   * A template read a place the features filled (`{{#each places.appPlugins}}` in a branch it
   * took): `reader` is a planned file's path, or the source of a `_places/` template.
   */
  read(reader: string, place: string): void;
  /** The text a `_places/` template rendered, as the places it is written at hold it. */
  placeText(source: string, text: string): void;
}

/** The places, telling `trace` which of them a template reads. */
function tracedPlaces<T extends object>(places: T, reader: string, trace: RenderTrace | undefined): T {
  if (trace === undefined) return places;
  return new Proxy(places, {
    get(target, name, receiver) {
      if (typeof name === 'string' && Object.hasOwn(target, name)) trace.read(reader, name);
      return Reflect.get(target, name, receiver);
    },
  });
}

/**
 * Renders the plan in memory: `.hbs` files through Handlebars, the rest copied byte for byte
 * (with their mode, so a script stays executable), content made by the plan as is, and derived
 * files from the rendered content of the file they come from. Writing is src/apply.ts's job.
 */
export async function renderProject(plan: ProjectPlan, trace?: RenderTrace): Promise<RenderedProject> {
  const sources = [
    ...plan.files.flatMap((file) => (file.kind === 'render' ? [file.source] : [])),
    ...Object.values(plan.data.places).flatMap((texts) =>
      texts.flatMap((text) => (typeof text === 'string' ? [] : [text.source])),
    ),
  ];
  const load = await templateLoader(sources);
  const data = plan.data as unknown as Record<string, unknown>;
  // Snippets kept in `_places/` templates are rendered first: the shared templates see text only.
  const placeText = (text: PlaceText) => {
    if (typeof text === 'string') return text;
    const places = tracedPlaces(plan.data.places, text.source, trace);
    const rendered = load(text.source)(trace ? { ...data, places } : data).replace(/\n$/, '');
    trace?.placeText(text.source, rendered);
    return rendered;
  };
  const places = Object.fromEntries(
    Object.entries(plan.data.places).map(([name, texts]) => [name, texts.map(placeText)]),
  );
  const withPlaces = { ...data, places };

  const rendered = new Map<string, RenderedFile>();
  const renderOne = (file: PlannedFile): RenderedFile => {
    switch (file.kind) {
      case 'render': {
        const fileData = file.data ? { ...withPlaces, ...file.data } : withPlaces;
        const traced = trace ? { ...fileData, places: tracedPlaces(places, file.path, trace) } : fileData;
        return { content: Buffer.from(load(file.source)(traced)) };
      }
      case 'copy':
        return { content: readFileSync(file.source), mode: statSync(file.source).mode & 0o7777 };
      case 'write':
        return { content: Buffer.from(file.content) };
      case 'derive': {
        const from = rendered.get(file.from);
        if (from === undefined)
          throw new Error(`${file.path} is made from ${file.from}, which the plan does not render`);
        return { content: Buffer.from(file.derive(from.content.toString('utf8'))) };
      }
    }
  };
  const renderInto = (file: PlannedFile) => {
    if (rendered.has(file.path)) throw new Error(`${file.path} is planned twice`);
    rendered.set(file.path, renderOne(file));
  };
  // Derived files last: they read files the others render.
  for (const file of plan.files.filter((each) => each.kind !== 'derive')) renderInto(file);
  for (const file of plan.files.filter((each) => each.kind === 'derive')) renderInto(file);
  return new Map(plan.files.map((file) => [file.path, rendered.get(file.path) as RenderedFile]));
}
