// iommu-lab's own boot server as a session part: started once the lock is held (the port is the
// bench's too), its requests shown as they come, closed with the session.
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import { type BootServer, startBootServer } from '../pxe/boot-server.ts';
import { formatEntry } from '../pxe/request-log.ts';
import type { Rig } from '../rig/schema.ts';
import type { TeardownStack } from './teardown.ts';

export async function serveBoot(rig: Rig, teardown: TeardownStack): Promise<BootServer> {
  const server = await step('start boot server', {}, () => startBootServer(rig));
  teardown.push('close boot server', () => server.close());
  progress.emit('info', `boot server: ${server.base} (listening on ${server.listening.host}:${server.listening.port})`);
  server.log.onEntry((e) => progress.emit('info', `boot server: ${formatEntry(e)}`));
  return server;
}
