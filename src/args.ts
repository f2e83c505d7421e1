import { parseArgs } from 'node:util';
import { choiceKinds } from './catalogue.js';
import { UsageError } from './errors.js';

const valueFlags = [...choiceKinds, 'pm', 'preset'] as const;
const booleanFlags = [
  'install',
  'no-install',
  'git',
  'no-git',
  'yes',
  'dry-run',
  'force',
  'json',
  'help',
  'version',
] as const;

export interface ParsedArgs {
  command: 'create';
  positionals: string[];
  values: Partial<Record<(typeof valueFlags)[number], string>> &
    Partial<Record<(typeof booleanFlags)[number], boolean>>;
}

/** Reads argv into flags; unknown flags and missing values are usage errors. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of valueFlags) options[flag] = { type: 'string' };
  for (const flag of booleanFlags) options[flag] = { type: 'boolean' };
  options.yes = { type: 'boolean', short: 'y' };
  options.help = { type: 'boolean', short: 'h' };
  options.version = { type: 'boolean', short: 'v' };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (positionals.length > 1) {
      throw new UsageError(`Expected one target directory, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    return { command: 'create', positionals, values: values as ParsedArgs['values'] };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.split('\n')[0]}\nRun create-sound-backend --help for the list of options.`);
  }
}
