// Binding the boot server where the rig says, with the two lab mistakes said in one line: the
// port is taken (naming the holder), or the address is not this host's / the port is privileged.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RigError } from '../core/errors.ts';
import { describePortHolder } from './port-holder.ts';

export async function listenOn(server: Server, host: string, port: number): Promise<AddressInfo> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const where = `${host}:${port}`;
    if (code === 'EADDRINUSE')
      throw new RigError(
        `boot server: ${where} is in use, ${await describePortHolder(port)}: stop it, or change boot.server.listen.port`,
        { code: 'PXE_PORT_IN_USE', part: 'pxe' },
      );
    throw new RigError(
      `boot server: cannot listen on ${where} (${code ?? (e as Error).message}): give an address of this host${port < 1024 ? ', and a port above 1023 unless running as root' : ''}`,
      { code: 'PXE_LISTEN', part: 'pxe' },
    );
  }
  return server.address() as AddressInfo;
}
