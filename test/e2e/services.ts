import { once } from 'node:events';
import { connect } from 'node:net';

async function canConnect(host: string, port: number): Promise<boolean> {
  const socket = connect({ host, port, timeout: 1000 });
  try {
    await Promise.race([
      once(socket, 'connect'),
      once(socket, 'timeout').then(() => Promise.reject(new Error('timeout'))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/**
 * Whether a suite that needs the server at host:port runs. An unreachable server skips it (the
 * reason is in the returned title) unless SOUND_REQUIRE_SERVICES is set, as in CI, where it fails.
 */
export async function needsServer(name: string, host: string, port: number): Promise<{ run: boolean; note: string }> {
  if (await canConnect(host, port)) return { run: true, note: '' };
  const reason = `${name} is not reachable at ${host}:${port}`;
  if (process.env.SOUND_REQUIRE_SERVICES) throw new Error(`${reason} (SOUND_REQUIRE_SERVICES is set)`);
  return { run: false, note: ` (skipped: ${reason}; .ci/services.sh starts it)` };
}
