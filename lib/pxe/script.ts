// The iPXE script the boot server hands out, rendered from the rig, and the commands typed into
// the iPXE shell to fetch it. Every line built from a rig value is checked to stay one line: the
// schema refuses control characters already, and a value that reaches here another way (a
// provider, a test) must not smuggle a second iPXE command in either.
import { UsageError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { CONTROL_CHAR, ipxeHazard } from '../core/rig-fields.ts';
import type { BootServerConfig } from '../rig/schema.ts';

/** Where the board's boot starts: the one name the board must fetch first. */
export const SCRIPT_PATH = '/boot.ipxe';

/** A rig value on one iPXE line: refused if it holds a newline or another control character. */
export function ipxeValue(what: string, value: string): string {
  if (CONTROL_CHAR.test(value))
    throw new UsageError(
      `${what}: ${printable(value, { max: 80 })} holds a newline or control character; refused in an iPXE line`,
    );
  const why = ipxeHazard(value);
  if (why) throw new UsageError(`${what}: ${printable(value, { max: 80 })}: ${why}; refused in an iPXE line`);
  return value;
}

/** `http://<host>:<port>` as the board reaches the server (boot.server.advertise). */
export function serverUrl(cfg: BootServerConfig, listeningPort = cfg.listen.port): string {
  const port = cfg.advertise.port ?? listeningPort;
  return `http://${ipxeValue('boot.server.advertise.host', cfg.advertise.host)}:${port}`;
}

export interface ScriptInput {
  /** serverUrl() */
  base: string;
  xenCommandLine: string;
  dom0CommandLine: string;
  /** Served paths of Xen, the dom0 kernel and its initramfs. */
  paths: { xen: string; dom0Kernel: string; dom0Initrd: string };
}

export function renderBootScript(i: ScriptInput): string {
  const xen = ipxeValue('boot.xenCommandLine', i.xenCommandLine);
  const dom0 = ipxeValue('boot.server.dom0CommandLine', i.dom0CommandLine);
  const url = (p: string) => ipxeValue('boot server URL', `${i.base}${p}`);
  return [
    '#!ipxe',
    `kernel ${url(i.paths.xen)} ${xen}`.trimEnd(),
    `module ${url(i.paths.dom0Kernel)} ${dom0}`.trimEnd(),
    `module ${url(i.paths.dom0Initrd)}`,
    'boot',
    '',
  ].join('\n');
}

/**
 * What the ipxe-shell method types at `iPXE>`, one command a line. `dhcp` names the NIC: alone it
 * tries every NIC in turn, and an apu2 has three (3mdeb types `dhcp net0`).
 */
export function shellCommands(chainUrl: string, iface = 'net0'): string[] {
  if (!/^net\d$/.test(iface))
    throw new UsageError(
      `boot.network.interface: "${printable(iface, { max: 20 })}" is not an iPXE network device like net0`,
    );
  return [`dhcp ${iface}`, `chain ${ipxeValue('boot.network.chain', chainUrl)}`];
}
