// How the twin's own tools reach its SSH endpoints with OpenSSH: the twin's client key, its pinned
// host keys, never a prompt. One list for the fault injector, the boot measurement and the tests.
import { twinPaths } from './paths.ts';

export const TWIN_SSH_OPTIONS: readonly string[] = [
  '-i',
  twinPaths.clientKey,
  '-o',
  `UserKnownHostsFile=${twinPaths.knownHosts}`,
  '-o',
  'StrictHostKeyChecking=yes',
  '-o',
  'BatchMode=yes',
];
