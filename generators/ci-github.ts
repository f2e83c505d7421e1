import type { Feature } from './feature.js';

/** A GitHub Actions workflow: lint, typecheck, test and build on Node 20 and 22. */
export const ciGithub: Feature = { id: 'ci-github' };
