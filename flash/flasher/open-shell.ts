// The shell flashrom runs in: the session's bench controller, an SSH connection opened here,
// or this host. Whoever opens it closes it.
import { RigError } from '../../lib/core/errors.ts';
import { LocalShell } from '../../lib/remote/local.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import type { FlasherConfig } from '../../lib/rig/schema.ts';

export async function openFlasherShell(
  cfg: FlasherConfig,
  given?: RemoteShell,
): Promise<{ shell: RemoteShell; close: () => Promise<void> }> {
  if (cfg.where === 'local') {
    const shell = given ?? new LocalShell(cfg.timeoutMs);
    return { shell, close: async () => {} };
  }
  if (given) return { shell: given, close: async () => {} };
  if (!cfg.controller)
    throw new RigError('flasher.where is "ssh" but flasher.controller is not set', {
      code: 'RIG_FLASHER',
    });
  const shell = await openRemote(cfg.controller, 'bench controller');
  return { shell, close: () => shell.close() };
}
