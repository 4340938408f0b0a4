// Bench health (LAVA's idea): a bench that cannot boot a known-good image is out of service
// until a human fixes it and `iommu-lab health` passes again. The record lives beside the
// lease — in the local lock folder, or on the bench controller for an SSH lock — so every
// client of the bench sees it.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { shq } from '../core/quote.ts';
import { readSmallFile } from '../core/read-small-file.ts';
import type { RemoteShell } from '../remote/types.ts';
import { DEFAULT_LOCK_DIR } from './local.ts';
import type { LockedRig } from './schema.ts';
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

/** A record is a line of JSON; anything larger is not one. */
const MAX_RECORD_BYTES = 64 * 1024;
/** What the remote read prints for a record that is there but no regular file (a folder, a FIFO). */
const NOT_A_FILE = '__iommu-lab: not a regular file__';

/**
 * A record that is there but cannot be read as one (cut short, edited by hand, a folder or a FIFO
 * in its place) may have said "bad": the bench is taken as bad until `health` writes a new one,
 * never as healthy (#24 N12).
 */
function damaged(where: string, what: string): BenchHealth {
  return {
    state: 'bad',
    at: 'unknown',
    why: `its health record ${where} is damaged (${what}): \`iommu-lab health\` checks the bench and writes a new one`,
    by: 'unknown',
  };
}

/** The record in `text`; its fields are shown in terminals, so they are made printable here (#24 N13). */
function parse(text: string, where: string): BenchHealth {
  let h: Partial<BenchHealth>;
  try {
    h = JSON.parse(text) as Partial<BenchHealth>;
  } catch {
    return damaged(where, 'not JSON');
  }
  if (!h || (h.state !== 'good' && h.state !== 'bad') || typeof h.at !== 'string')
    return damaged(where, 'no state good or bad with a time');
  return {
    state: h.state,
    at: printable(h.at, { max: 40 }),
    why: printable(String(h.why ?? ''), { max: 500 }),
    by: printable(String(h.by ?? 'unknown'), { max: 200 }),
  };
}

function writeFailed(where: string, e: unknown): RigError {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new RigError(`cannot write the bench's health record ${where}: ${why}`, {
    code: 'BENCH_HEALTH_RECORD',
    part: 'session',
  });
}

export function healthStore(rig: LockedRig, controller?: RemoteShell): HealthStore {
  if (rig.lock.kind === 'local') {
    const dir = rig.lock.dir ?? DEFAULT_LOCK_DIR;
    const file = join(dir, `${rig.name}.health.json`);
    return {
      where: file,
      async read() {
        // Non-blocking and bounded: a FIFO there must not hang a run that holds the lock.
        const text = await readSmallFile(file, MAX_RECORD_BYTES).catch((e: NodeJS.ErrnoException) =>
          e.code === 'ENOENT' ? undefined : damaged(file, e.code ?? e.message),
        );
        return typeof text === 'string' ? parse(text, file) : text;
      },
      async write(h) {
        // A temporary of its own (O_EXCL), then renamed: never through what sits at a fixed name.
        const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
        try {
          await mkdir(dir, { recursive: true, mode: 0o755 });
          await writeFile(temp, `${JSON.stringify(h)}\n`, { flag: 'wx' });
          await rename(temp, file);
        } catch (e) {
          await rm(temp, { force: true });
          throw writeFailed(file, e);
        }
      },
    };
  }
  if (!controller) throw new Error(`rig ${rig.name}: an SSH lock's health record needs the bench controller`);
  const dir = (rig.lock.dir ?? DEFAULT_REMOTE_DIR).replace(/\/+$/, '');
  const file = `${dir}/${rig.name}.health.json`;
  return {
    where: `${file} on ${controller.description}`,
    async read() {
      // Only a regular file is read (a FIFO would hold `cat` until the timeout), and only its start.
      const f = shq(file);
      const r = await controller.run(
        `if [ -f ${f} ] && [ ! -L ${f} ]; then head -c ${MAX_RECORD_BYTES} ${f}; elif [ -e ${f} ] || [ -L ${f} ]; then echo '${NOT_A_FILE}'; fi`,
        { timeoutMs: 15_000 },
      );
      if (!r.stdout) return undefined;
      if (r.stdout.trim() === NOT_A_FILE) return damaged(`${file} on ${controller.description}`, 'not a regular file');
      return parse(r.stdout, `${file} on ${controller.description}`);
    },
    async write(h) {
      const json = JSON.stringify(h);
      const f = shq(file);
      // A temporary of its own (mktemp), and never moved into a folder that sits at the name.
      await controller
        .check(
          `mkdir -p ${shq(dir)} && if [ -d ${f} ] && [ ! -L ${f} ]; then echo "${file} is a folder" >&2; exit 1; fi && ` +
            `t=$(mktemp ${shq(`${file}.XXXXXX`)}) && printf '%s\\n' ${shq(json)} > "$t" && mv -f "$t" ${f}`,
          { timeoutMs: 15_000 },
        )
        .catch((e: unknown) => {
          throw writeFailed(`${file} on ${controller.description}`, e);
        });
    },
  };
}
