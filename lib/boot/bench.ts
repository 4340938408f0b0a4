// What the boot needs from the bench, and nothing more: the boot state machine and its edges
// depend on this narrow view, not on the session that implements it.
import type { Console } from '../console/types.ts';
import type { PowerSwitch } from '../power/types.ts';
import type { BootServer } from '../pxe/boot-server.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';

export interface BootBench {
  readonly rig: Rig;
  readonly power: PowerSwitch;
  readonly console: Console;
  /** dom0 over SSH; connects on first use, each handshake bounded by timeoutMs. */
  dom0(timeoutMs?: number): Promise<RemoteShell>;
  /** Forget the dom0 connection (the board is being power-cycled). */
  dropDom0(): Promise<void>;
  /** Set once the bench's lease was lost: every wait then ends with this error. */
  readonly lost?: Error;
  /** iommu-lab's own boot server, when the rig has boot.server and this session serves it. */
  readonly bootServer?: Pick<BootServer, 'scriptUrl' | 'log' | 'efi'>;
  /** This run switched the board on: it must be switched off at the end. */
  markPoweredOn(): void;
}
