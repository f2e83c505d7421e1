import { choiceKinds, choices, packageManagers } from './catalogue.js';

function describeChoice(kind: (typeof choiceKinds)[number]): string {
  const spec = choices[kind];
  const values = Object.keys(spec.values).join(', ');
  const fallback = Array.isArray(spec.default) ? spec.default.join(',') : spec.default;
  const list = spec.multiple ? ' (comma list)' : '';
  return `  --${kind.padEnd(12)} ${values}${list}; default ${fallback}`;
}

/** The --help text; every choice line comes from the catalogue. */
export function helpText(version: string): string {
  return `create-sound-backend ${version}
Scaffold a Fastify backend with scalability, database design, error handling,
simplicity, API security and observability wired in.

Usage:
  create-sound-backend [dir] [options]   create a new project (interactive in a terminal)

Choices:
${choiceKinds.map(describeChoice).join('\n')}

Options:
  --pm <name>       ${packageManagers.join(', ')}; default: the one that ran this command, else npm
  --install, --no-install   install dependencies (default: install)
  --git, --no-git           git init and a first commit (default: git)
  -y, --yes         take the default for every choice not given; never prompt
  --preset <file>   JSON with the same keys as the flags, e.g. {"db":"sqlite","monitoring":["prometheus"]}; flags win
  --dry-run         print what would be written; write nothing, run nothing
  --force           allow a non-empty target directory (existing files are never overwritten or deleted)
  --json            print one JSON summary on stdout; human text goes to stderr
  -h, --help        show this help
  -v, --version     show the version

Without a terminal, or with CI=true, it never prompts: open choices take their defaults.
Exit codes: 0 done, 1 a step failed (install, git; the files stay), 2 usage error (nothing written), 130 cancelled.
`;
}
