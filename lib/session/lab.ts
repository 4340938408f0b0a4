// The run-wide handle suites use: the session (parts), the one boot shared by every suite,
// and what the run was asked to do. Created by the mocha root hooks.
import { BootStrategy } from '../boot/strategy.ts';
import type { Rig } from '../rig/schema.ts';
import type { RunDir } from './run-dir.ts';
import type { Session } from './session.ts';

export interface RunOptions {
  rig: Rig;
  runDir: RunDir;
  keepOn: boolean;
  /** `--assume dom0`: adopt a board that is already up. */
  assume?: 'dom0';
  /** `--firmware`: flash this build before booting. */
  firmware?: { source: string; sha256?: string };
  /** boot-stability: how many full boots. */
  boots: number;
}

export interface FirmwareInfo {
  /** What was flashed by this run, if anything. */
  flashed?: { sha256: string; version?: string; source: string };
  /** Settings read back from the chip after flashing (bootorder), when known. */
  settings?: Record<string, boolean | undefined>;
  warnings: string[];
}

export class Lab {
  readonly boot: BootStrategy;
  readonly firmware: FirmwareInfo = { warnings: [] };

  constructor(
    readonly session: Session,
    readonly opts: RunOptions,
  ) {
    this.boot = new BootStrategy(session);
    if (opts.assume) this.boot.force(opts.assume);
  }

  get rig(): Rig {
    return this.session.rig;
  }
}

let current: Lab | undefined;
let pendingOptions: RunOptions | undefined;

/** The CLI hands the run's options to the root hooks through here. */
export function setRunOptions(o: RunOptions | undefined): void {
  pendingOptions = o;
}

export function runOptions(): RunOptions | undefined {
  return pendingOptions;
}

export function setLab(l: Lab | undefined): void {
  current = l;
}

export function lab(): Lab {
  if (!current) throw new Error('no iommu-lab session: run suites through `iommu-lab run` (or the root hooks)');
  return current;
}

export function maybeLab(): Lab | undefined {
  return current;
}
