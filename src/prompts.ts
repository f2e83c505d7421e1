import { type ChoiceKind, choices, type Stack } from './catalogue.js';
import { CancelledError } from './errors.js';

/** `CI=true` (or any value but empty, false and 0): never prompt, even in a terminal. */
export function isCI(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Asks for what flags and preset left open. Injectable so the flow is testable without a terminal. */
export interface Prompter {
  directory(initial: string): Promise<string>;
  choice<K extends ChoiceKind>(kind: K): Promise<Stack[K]>;
}

/** The terminal prompter, on @clack/prompts; loaded only when a terminal asks. */
export async function clackPrompter(): Promise<Prompter> {
  const clack = await import('@clack/prompts');
  const orCancel = <T>(answer: T): Exclude<T, symbol> => {
    // The command prints the cancel message once, on its way out.
    if (typeof answer === 'symbol' || clack.isCancel(answer)) throw new CancelledError();
    return answer as Exclude<T, symbol>;
  };
  clack.intro('create-sound-backend');
  return {
    async directory(initial) {
      return orCancel(
        await clack.text({
          message: 'Where should the project go?',
          placeholder: initial,
          defaultValue: initial,
        }),
      );
    },
    async choice(kind) {
      const spec = choices[kind];
      const options = Object.entries(spec.values).map(([value, label]) => ({ value, label: label as string }));
      if (!spec.multiple) {
        return orCancel(
          await clack.select({ message: spec.label, options, initialValue: spec.default as string }),
        ) as Stack[typeof kind];
      }
      const picked = orCancel(
        await clack.multiselect({
          message: `${spec.label} (space to toggle)`,
          options,
          initialValues: [...(spec.default as readonly string[])],
          required: true,
        }),
      );
      // "none" beside a real choice means the real choice.
      const list = picked.length > 1 ? picked.filter((value) => value !== 'none') : picked;
      return list as Stack[typeof kind];
    },
  };
}
