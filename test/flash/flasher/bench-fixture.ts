// A flash bench for tests: a real flashrom `dummy` chip backed by a file, a rig pointing at it,
// a recording power switch, and a private cache directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PowerState, PowerSwitch } from '../../../lib/power/types.ts';
import { validateRig } from '../../../lib/rig/load.ts';
import type { Rig } from '../../../lib/rig/schema.ts';
import twin from '../../../rigs/apu2-twin.ts';
import { withStandInSecrets } from '../../helpers/shipped-rig-secrets.ts';

export const DUMMY_CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';

export interface FlashBench {
  dir: string;
  chipFile: string;
  cacheRoot: string;
  rig: Rig;
  power: PowerSwitch & { log: string[] };
  chip(): Buffer;
  setChip(bytes: Buffer): void;
  cleanup(): void;
}

export function recordingPower(initial: PowerState = 'on'): PowerSwitch & { log: string[] } {
  let state = initial;
  const log: string[] = [];
  return {
    description: 'recording power',
    log,
    on: async () => {
      log.push('on');
      state = 'on';
    },
    off: async () => {
      log.push('off');
      state = 'off';
    },
    cycle: async () => {
      log.push('cycle');
    },
    state: async () => state,
  };
}

export function makeFlashBench(opts: { flasher?: Record<string, unknown>; chipName?: string } = {}): FlashBench {
  const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-flash-'));
  const chipFile = join(dir, 'chip.rom');
  writeFileSync(chipFile, Buffer.alloc(8 * 1024 * 1024, 0xff));
  // Without its provider the rig's secrets are read at load: stand-ins (lib/rig/rig-secrets.ts).
  const { provider: _p, flasher: _f, ...base } = withStandInSecrets(twin as Record<string, unknown>, dir);
  const rig = validateRig(
    {
      ...base,
      name: `flash-test-${Math.random().toString(36).slice(2, 8)}`,
      power: { kind: 'manual', minOffMs: 0 },
      flasher: {
        where: 'local',
        programmer: `dummy:emulate=MX25L6436,image=${chipFile}`,
        chip: opts.chipName ?? DUMMY_CHIP,
        timeoutMs: 30_000,
        // A manual switch has no power button: these tests flash as a clip on an unpowered board.
        powerState: 'G3',
        ...opts.flasher,
      },
    },
    'test rig',
  );
  return {
    dir,
    chipFile,
    cacheRoot: join(dir, 'cache'),
    rig,
    power: recordingPower(),
    chip: () => readFileSync(chipFile),
    setChip: (b) => writeFileSync(chipFile, b),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeImage(bench: FlashBench, name: string, bytes: Buffer): string {
  const p = join(bench.dir, name);
  writeFileSync(p, bytes);
  return p;
}
