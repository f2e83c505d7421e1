import type { Feature } from './feature.js';

/**
 * A test fixture shared by the outage tests of the server databases and the networked caches:
 * a TCP proxy that can stop, freeze and restore the connection to a real server.
 */
export const tcpProxy: Feature = {
  id: 'tcp-proxy',
};
