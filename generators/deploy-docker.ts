import type { Feature } from './feature.js';

/** A multi-stage Dockerfile and a compose file that runs the service. */
export const deployDocker: Feature = { id: 'deploy-docker' };
