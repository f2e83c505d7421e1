import type { Finding, StaticCheck } from '../findings.js';
import type { Project } from '../project.js';
import { databaseChecks } from './database.js';
import { errorChecks } from './errors.js';
import { observabilityChecks } from './observability.js';
import { scalabilityChecks } from './scalability.js';
import { securityChecks } from './security.js';
import { simplicityChecks } from './simplicity.js';

/** Every static check, in the order of the six mistakes. */
export const staticChecks: StaticCheck[] = [
  ...scalabilityChecks,
  ...databaseChecks,
  ...errorChecks,
  ...simplicityChecks,
  ...securityChecks,
  ...observabilityChecks,
];

export function runStaticChecks(project: Project): Finding[] {
  return staticChecks.flatMap((check) => {
    const draft = check.run(project);
    return draft === undefined ? [] : [{ id: check.id, mistake: check.mistake, source: 'static' as const, ...draft }];
  });
}
