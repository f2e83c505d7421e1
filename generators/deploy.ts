import type { Feature } from './feature.js';

/** How the image applies migrations (every database feature ships `scripts/db-migrate.js`). */
export const migrateCommand = ['node', 'scripts/db-migrate.js'];

/** The container image every deployment runs: a multi-stage Dockerfile and its ignore file. */
export const deployImage: Feature = {
  id: 'deploy-image',
  readme: [
    { place: 'readmeProduction', text: ' (or a container: see\n[Deploy](#deploy))' },
    { place: 'readmeDeploy', order: 10, template: 'readme-image.md.hbs' },
    { place: 'readmeDeployChecked', order: 10, text: "The generator's own tests parse `docker-compose.yml`" },
    { place: 'readmeScalabilityDeploy', order: 10, text: ', `Dockerfile`' },
  ],
};
