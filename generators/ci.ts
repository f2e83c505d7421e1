/**
 * What a feature adds to the project's CI job, as data: the servers its tests run against and
 * the variables that reach them. The CI feature writes them out in its own format.
 */

/** A server beside the CI job (a service container), reached on the runner's localhost. */
export interface CiService {
  /** One line written above the service. */
  comment?: string;
  image: string;
  env?: Readonly<Record<string, string>>;
  /** `host:container` port pairs, published on the runner. */
  ports: readonly string[];
  /** The command that tells the server is ready; the job's steps wait for it to succeed. */
  healthcheck?: { command: string; interval: string; timeout: string; retries: number };
}

/** What one feature adds to the CI job. */
export interface CiPart {
  /**
   * Why the job runs servers: one comment above its services. Where several features give one,
   * the first feature's is written (a database's before a cache's).
   */
  servicesNote?: string;
  /** Servers beside the job, by service name. */
  services?: Readonly<Record<string, CiService>>;
  /** Variables of the job's steps: where the tests find the servers. */
  env?: Readonly<Record<string, string>>;
  /**
   * The overall score `doctor` gives a project with this feature, where it is more than without
   * (metrics count on mistake 6): CI asks for the highest any feature gives.
   */
  doctorScore?: number;
}
