// `iommu-lab rigs [--rig <name|path>] [--json]`: list and validate the rigs (exit 2 when one is
// invalid). --json prints one array for tooling: per rig its file, name, whether it is valid
// (with the reason when not), and what it wires — never secret values (rigs hold references).
import { basename, extname, relative } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-code.ts';
import { printable } from '../../core/printable.ts';
import { redact } from '../../core/redact.ts';
import { healthStore } from '../../lock/health.ts';
import { listRigFiles, loadRig } from '../../rig/load.ts';
import type { Rig } from '../../rig/schema.ts';

interface RigEntry {
  file: string;
  name: string;
  valid: boolean;
  error?: string;
  board?: string;
  power?: string;
  console?: string;
  /** A TCP console's protocol (raw or telnet). */
  consoleProtocol?: 'raw' | 'telnet';
  lock?: string;
  provider?: string;
  capabilities?: Rig['capabilities'];
  /** What the guests boot from and how the test host logs into them. */
  guests?: GuestEntry;
  /** The bench's health record: 'good'/'bad' with when and why, or where it could not be read. */
  health?: string;
}

interface GuestEntry {
  types: string[];
  kernel?: string;
  ramdisk?: string;
  disk?: string;
  /** key or password: never the secret, only which kind the rig references. */
  login?: 'key' | 'password';
}

function guestEntry(g: NonNullable<Rig['guests']>): GuestEntry {
  const { types, kernel, ramdisk, disk, ssh } = g;
  const login = ssh ? (ssh.privateKey ? 'key' : ssh.password ? 'password' : undefined) : undefined;
  return { types, kernel, ramdisk, disk, ...(login ? { login } : {}) };
}

async function check(target: string): Promise<RigEntry> {
  const file = relative(process.cwd(), target) || target;
  try {
    const rig = await loadRig(target);
    return {
      file,
      name: rig.name,
      valid: true,
      board: rig.board.model,
      power: rig.power.kind,
      console: rig.console.kind,
      ...(rig.console.kind === 'tcp' ? { consoleProtocol: rig.console.protocol as 'raw' | 'telnet' } : {}),
      lock: rig.lock.kind,
      ...(rig.provider ? { provider: rig.provider } : {}),
      capabilities: rig.capabilities,
      ...(rig.guests ? { guests: guestEntry(rig.guests) } : {}),
      health: await healthOf(rig),
    };
  } catch (e) {
    return { file, name: basename(target, extname(target)), valid: false, error: redact(errorMessage(e)) };
  }
}

/** A local bench's record is read here; an SSH lock's lives on the controller (not opened by `rigs`). */
async function healthOf(rig: Rig): Promise<string> {
  if (rig.lock.kind !== 'local') return 'on the bench controller (see `iommu-lab health`)';
  const h = await healthStore(rig).read();
  return h ? `${h.state} since ${h.at} (${printable(h.why, { max: 120 })})` : 'not checked yet';
}

function line(r: RigEntry, one: boolean): string {
  if (!r.valid) return `INVALID  ${one ? '' : `${r.name.padEnd(16)} `}${r.error}`;
  const caps = Object.entries(r.capabilities ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return `ok       ${r.name.padEnd(16)} ${r.board}; power ${r.power}, console ${r.console}, caps ${caps.join(' ')}${r.provider ? ` (provider ${r.provider})` : ''}; health ${r.health}`;
}

export function register(program: Command): void {
  program
    .command('rigs')
    .description('list and validate every rig in rigs/, or check one rig file (exit 2 when invalid)')
    .option('--rig <name|path>', 'check only this rig')
    .option(
      '--json',
      'print one JSON array (file, name, valid, error, board, power, console, lock, capabilities, guests)',
    )
    .action(async (f: { rig?: string; json?: boolean }) => {
      const entries: RigEntry[] = [];
      for (const t of f.rig ? [f.rig] : listRigFiles()) entries.push(await check(t));
      if (f.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else for (const r of entries) console.log(line(r, Boolean(f.rig)));
      if (entries.some((r) => !r.valid)) process.exitCode = EXIT.usage;
    });
}
