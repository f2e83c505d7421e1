import type { PackageManager } from './catalogue.js';

/** How each package manager spells what the generated project's files need. */
export interface PackageManagerCommands {
  name: PackageManager;
  /** Runs a package script: `npm run dev`. */
  run: string;
  install: string;
  /** Installs exactly the lockfile, failing if it is out of date (CI, the image). */
  frozenInstall: string;
  /** Drops dev dependencies from an installed node_modules (the image's runtime stage). */
  pruneDev: string;
  lockfile: string;
  /** Makes the package manager available in the node image; empty for npm. */
  imageSetup: string;
  /** The action of a CI step that installs the package manager; empty when runners have it. */
  ciSetup: string;
  /** actions/setup-node's `cache` value; empty where it has none. */
  ciCache: string;
}

export const packageManagerCommands: Readonly<Record<PackageManager, PackageManagerCommands>> = {
  npm: {
    name: 'npm',
    run: 'npm run',
    install: 'npm install',
    frozenInstall: 'npm ci',
    pruneDev: 'npm prune --omit=dev',
    lockfile: 'package-lock.json',
    imageSetup: '',
    ciSetup: '',
    ciCache: 'npm',
  },
  pnpm: {
    name: 'pnpm',
    run: 'pnpm',
    install: 'pnpm install',
    frozenInstall: 'pnpm install --frozen-lockfile',
    pruneDev: 'pnpm prune --prod',
    lockfile: 'pnpm-lock.yaml',
    imageSetup: 'RUN corepack enable',
    ciSetup: 'pnpm/action-setup@v4',
    ciCache: 'pnpm',
  },
  yarn: {
    name: 'yarn',
    run: 'yarn',
    install: 'yarn install',
    frozenInstall: 'yarn install --frozen-lockfile',
    pruneDev: 'yarn install --production --frozen-lockfile --prefer-offline',
    lockfile: 'yarn.lock',
    imageSetup: 'RUN corepack enable',
    ciSetup: '',
    ciCache: 'yarn',
  },
  bun: {
    name: 'bun',
    run: 'bun run',
    install: 'bun install',
    frozenInstall: 'bun install --frozen-lockfile',
    pruneDev: 'rm -rf node_modules && bun install --production --frozen-lockfile',
    lockfile: 'bun.lock',
    imageSetup: 'RUN npm install --global bun',
    ciSetup: 'oven-sh/setup-bun@v2',
    ciCache: '',
  },
};
