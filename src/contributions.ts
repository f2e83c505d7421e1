import type { PlaceText, ProjectPlan } from './plan.js';
import { type RenderedProject, renderProject } from './render.js';

/**
 * What each feature contributed to each shared file: the places a file's template reads
 * (`{{#each places.appPlugins}}`), directly or through a `_places/` template written at one of
 * them, and what each feature put there. Made from `plan.contributions`, the data the render
 * fills the places with, so that `add` can say what a change of features does to a shared file.
 */

export interface Contribution {
  /** The planned file, as the project names it. */
  file: string;
  /** The feature's id. */
  feature: string;
  place: string;
  /**
   * As the feature wrote it: in the file as it is, but for an import declaration (`import`), which
   * the place merged with the others from its module.
   */
  text: string;
  import?: true;
  /**
   * For a `_places/` template that fills places of its own: its text without what the other
   * features put there, which is what tells whether this feature's own text changed.
   */
  own?: string;
}

/**
 * Renders the plan as `renderProject` does, and tells every feature's contributions to every
 * file: those at the places its template read while rendering (a place in a section the file
 * leaves out is not in it), and at the places the `_places/` templates written there read.
 */
export async function renderWithContributions(
  plan: ProjectPlan,
): Promise<{ files: RenderedProject; contributions: Contribution[] }> {
  const reads = new Map<string, string[]>();
  const placeTexts = new Map<string, string>();
  const files = await renderProject(plan, {
    read(reader, place) {
      const places = reads.get(reader) ?? [];
      if (!places.includes(place)) places.push(place);
      reads.set(reader, places);
    },
    placeText: (source, text) => placeTexts.set(source, text),
  });
  const textOf = (text: PlaceText) => {
    if (typeof text === 'string') return text;
    const rendered = placeTexts.get(text.source);
    if (rendered === undefined) throw new Error(`${text.source} was not rendered`);
    return rendered;
  };
  /** The places a reader shows: those it read, and those the `_places/` templates there read. */
  const reached = (file: string): string[] => {
    const seen = new Set<string>();
    const visit = (reader: string) => {
      for (const place of reads.get(reader) ?? []) {
        if (seen.has(place)) continue;
        seen.add(place);
        for (const { text } of plan.contributions[place] ?? []) if (typeof text !== 'string') visit(text.source);
      }
    };
    visit(file);
    return [...seen];
  };
  /** A template's text without the texts at the places it fills (each a line of its own, or inline). */
  const ownText = (source: string, text: string) => {
    let own = text;
    for (const place of reached(source)) {
      for (const each of plan.contributions[place] ?? []) {
        const inner = textOf(each.text);
        if (each.import || inner === '') continue;
        own = own.includes(`${inner}\n`) ? own.replace(`${inner}\n`, '') : own.replace(inner, '');
      }
    }
    return own;
  };
  const contributions = plan.files.flatMap((file) =>
    reached(file.path).flatMap((place) =>
      (plan.contributions[place] ?? []).map((each): Contribution => {
        const text = textOf(each.text);
        const source = typeof each.text === 'string' ? undefined : each.text.source;
        const fillsPlaces = source !== undefined && (reads.get(source) ?? []).length > 0;
        return {
          file: file.path,
          feature: each.feature,
          place,
          text,
          ...(each.import ? { import: true as const } : {}),
          ...(fillsPlaces ? { own: ownText(source, text) } : {}),
        };
      }),
    ),
  );
  return { files, contributions };
}

/** Every feature's contributions to every file that shows places, file by file in plan order. */
export async function contributionsOf(plan: ProjectPlan): Promise<Contribution[]> {
  return (await renderWithContributions(plan)).contributions;
}

/** What happened to a feature's contribution to a place of a file, from one plan to the next. */
export interface ContributionChange {
  path: string;
  feature: string;
  place: string;
  change: 'added' | 'removed' | 'changed';
}

/**
 * The contributions that differ between two plans' (`contributionsOf`), by file, feature and
 * place: `added` where the feature put nothing there before, `removed` where it puts nothing now,
 * `changed` where its own text differs (a `_places/` template's, without the places it fills). In the new plan's order, then the old one's.
 */
export function contributionChanges(
  before: readonly Contribution[],
  after: readonly Contribution[],
): ContributionChange[] {
  const key = (each: Contribution) => JSON.stringify([each.file, each.feature, each.place]);
  const texts = (list: readonly Contribution[]) => {
    const byKey = new Map<string, { each: Contribution; texts: string[] }>();
    for (const each of list) {
      const entry = byKey.get(key(each)) ?? { each, texts: [] };
      entry.texts.push(each.own ?? each.text);
      byKey.set(key(each), entry);
    }
    return byKey;
  };
  const old = texts(before);
  const next = texts(after);
  const changes: ContributionChange[] = [];
  const change = ({ file, feature, place }: Contribution, what: ContributionChange['change']) =>
    changes.push({ path: file, feature, place, change: what });
  for (const [id, { each, texts: now }] of next) {
    const was = old.get(id);
    if (was === undefined) change(each, 'added');
    else if (JSON.stringify(was.texts) !== JSON.stringify(now)) change(each, 'changed');
  }
  for (const [id, { each }] of old) if (!next.has(id)) change(each, 'removed');
  return changes;
}
