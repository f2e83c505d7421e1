import { choiceKinds, type Stack } from '../src/catalogue.js';
import type { ServiceIdentity } from '../src/plan.js';
import { authApikey } from './auth-apikey.js';
import { authJwt } from './auth-jwt.js';
import { authOauth2 } from './auth-oauth2.js';
import { base } from './base.js';
import { cacheMemcached } from './cache-memcached.js';
import { cacheMemory } from './cache-memory.js';
import { cacheRedis } from './cache-redis.js';
import { ciGithub } from './ci-github.js';
import { dbMysql } from './db-mysql.js';
import { dbPostgres } from './db-postgres.js';
import { dbSqlite } from './db-sqlite.js';
import { deployDocker } from './deploy-docker.js';
import { deployKubernetes } from './deploy-kubernetes.js';
import type { Feature } from './feature.js';
import { monitoringElk } from './monitoring-elk.js';
import { monitoringOpentelemetry } from './monitoring-opentelemetry.js';
import { monitoringPrometheus } from './monitoring-prometheus.js';

export type { Feature } from './feature.js';

/** The feature module of each catalogue value other than `none`, keyed `kind-value`. */
export const featureModules: Readonly<Record<string, Feature>> = Object.fromEntries(
  [
    dbSqlite,
    dbPostgres,
    dbMysql,
    authJwt,
    authApikey,
    authOauth2,
    cacheMemory,
    cacheRedis,
    cacheMemcached,
    monitoringPrometheus,
    monitoringOpentelemetry,
    monitoringElk,
    deployDocker,
    deployKubernetes,
    ciGithub,
  ].map((feature) => [feature.id, feature]),
);

/** A feature after the shared features it uses (theirs first, depth first). */
function withShared(feature: Feature): Feature[] {
  return [...(feature.uses ?? []).flatMap(withShared), feature];
}

/**
 * The features a stack renders: the base first, then each chosen value in catalogue order,
 * each preceded by the shared features it uses, every feature once. A service made by `extract`
 * (`identity`) verifies the monolith's tokens instead of signing its own, in a database of its own.
 */
export function featuresFor(stack: Stack, identity?: ServiceIdentity): Feature[] {
  const chosen = choiceKinds.flatMap((kind) => {
    const value: string | string[] = stack[kind];
    return (Array.isArray(value) ? value : [value]).filter((item) => item !== 'none').map((item) => `${kind}-${item}`);
  });
  const features = chosen.flatMap((id) => {
    const feature = featureModules[id];
    if (feature === undefined) throw new Error(`No feature module for ${id}`);
    const served = (identity !== undefined && feature.inService) || feature;
    return withShared(
      identity?.database !== undefined && served.ownDatabase ? served.ownDatabase(identity.database, 'db') : served,
    );
  });
  return [...new Set([base, ...features])];
}
