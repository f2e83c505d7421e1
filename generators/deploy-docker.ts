import { composeFile, composeFileFor } from './compose.js';
import { deployImage } from './deploy.js';
import type { Feature } from './feature.js';

/** The image, and a compose file that runs it with every server the other choices need. */
export const deployDocker: Feature = {
  id: 'deploy-docker',
  uses: [deployImage],
  generate: ({ features }) => [{ path: composeFile, content: composeFileFor(features) }],
  readme: [
    { place: 'readmeStack', order: 50, text: ', Docker' },
    { place: 'readmeDeploy', order: 20, text: '### One machine: Docker Compose\n\n```sh' },
    { place: 'readmeDeploy', order: 23, template: 'readme-deploy.md.hbs' },
    { place: 'readmeScalabilityDeploy', order: 11, text: ', `docker-compose.yml`' },
  ],
};
