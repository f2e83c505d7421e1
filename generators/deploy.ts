import type { Feature } from './feature.js';

/** How the image applies migrations (every database feature ships `scripts/db-migrate.js`). */
export const migrateCommand = ['node', 'scripts/db-migrate.js'];

/** The container image every deployment runs: a multi-stage Dockerfile and its ignore file. */
export const deployImage: Feature = { id: 'deploy-image' };
