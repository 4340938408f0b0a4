// Bench health (LAVA's idea): a bench that cannot boot a known-good image is out of service
// until a human fixes it and `iommu-lab health` passes again. The record lives beside the
// lease — in the local lock folder, or on the bench controller for an SSH lock — so every
// client of the bench sees it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shq } from '../core/quote.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { LockedRig } from '../rig/sections/lock.ts';
import { DEFAULT_LOCK_DIR } from './local.ts';
import { DEFAULT_REMOTE_DIR } from './ssh-mkdir.ts';

export interface BenchHealth {
  state: 'good' | 'bad';
  /** ISO time of the verdict. */
  at: string;
  why: string;
  /** Which run or command decided it (owner@host, pid). */
  by: string;
}

export interface HealthStore {
  readonly where: string;
  read(): Promise<BenchHealth | undefined>;
  write(h: BenchHealth): Promise<void>;
}

function parse(text: string): BenchHealth | undefined {
  try {
    const h = JSON.parse(text) as Partial<BenchHealth>;
    if ((h.state === 'good' || h.state === 'bad') && typeof h.at === 'string')
      return { state: h.state, at: h.at, why: String(h.why ?? ''), by: String(h.by ?? 'unknown') };
  } catch {
    // An unreadable record says nothing: the bench is not known to be bad.
  }
  return undefined;
}

export function healthStore(rig: LockedRig, controller?: RemoteShell): HealthStore {
  if (rig.lock.kind === 'local') {
    const dir = rig.lock.dir ?? DEFAULT_LOCK_DIR;
    const file = join(dir, `${rig.name}.health.json`);
    return {
      where: file,
      read: () => readFile(file, 'utf8').then(parse, () => undefined),
      async write(h) {
        await mkdir(dir, { recursive: true, mode: 0o755 });
        await writeFile(`${file}.tmp`, `${JSON.stringify(h)}\n`);
        await rename(`${file}.tmp`, file);
      },
    };
  }
  if (!controller) throw new Error(`rig ${rig.name}: an SSH lock's health record needs the bench controller`);
  const dir = (rig.lock.dir ?? DEFAULT_REMOTE_DIR).replace(/\/+$/, '');
  const file = `${dir}/${rig.name}.health.json`;
  return {
    where: `${file} on ${controller.description}`,
    async read() {
      const r = await controller.run(`cat ${shq(file)} 2>/dev/null || true`, { timeoutMs: 15_000 });
      return parse(r.stdout);
    },
    async write(h) {
      const json = JSON.stringify(h);
      await controller.check(
        `mkdir -p ${shq(dir)} && printf '%s\\n' ${shq(json)} > ${shq(`${file}.tmp`)} && mv -f ${shq(`${file}.tmp`)} ${shq(file)}`,
        { timeoutMs: 15_000 },
      );
    },
  };
}
