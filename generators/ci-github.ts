import type { Feature } from './feature.js';

/** A GitHub Actions workflow: lint, typecheck, test and build on Node 22 and 24. */
export const ciGithub: Feature = {
  id: 'ci-github',
  readme: [
    { place: 'readmeStack', order: 60, text: ', GitHub Actions' },
    { place: 'readmeDoctor', text: 'The CI workflow runs it with `--min-score 100`.' },
  ],
};
