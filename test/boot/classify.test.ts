// Who is to blame for a failed boot attempt, row by row: every boot-time outcome of the fault
// matrix (test/twin/fault-matrix.test.ts) and the first-contact cases of a real apu2.
import assert from 'node:assert/strict';
import { type AttemptContext, type BootVerdict, classify } from '../../lib/boot/classify.ts';
import { ConsoleDeathError } from '../../lib/console/death.ts';
import type { FailureCode } from '../../lib/core/error-codes.ts';
import { RigError } from '../../lib/core/errors.ts';

const rig = (code: FailureCode) => new RigError(code, { code, part: 'console' });
const panic = () =>
  new ConsoleDeathError({
    line: '(XEN) Panic on CPU 0:',
    pattern: 'Panic',
    waitName: 'Xen banner',
    consoleTail: '',
    offset: 0,
  });

type Row = [string, unknown, Partial<AttemptContext>, BootVerdict['kind'], string?];
const last = { attempt: 2, attempts: 2 };
const first = { attempt: 1, attempts: 2 };

const rows: Row[] = [
  ['power API answers 500', rig('POWER_HTTP'), first, 'lab'],
  ['power API hangs', rig('POWER_TIMEOUT'), first, 'lab'],
  ['serial dropped mid-boot', rig('CONSOLE_LOST'), first, 'lab'],
  ['serial taken over', rig('CONSOLE_TAKEN_OVER'), first, 'lab'],
  ['boot hang at dom0, attempts left', rig('CONSOLE_SILENCE'), { ...first, stage: 'dom0' }, 'retry'],
  ['boot hang at dom0, last attempt', rig('CONSOLE_SILENCE'), { ...last, stage: 'dom0' }, 'board', 'BOOT_HANG'],
  ['panic during the boot, attempts left', panic(), { ...first, stage: 'xen' }, 'retry'],
  ['panic during the boot, last attempt', panic(), { ...last, stage: 'xen' }, 'board', 'BOARD_PANIC'],
  ['silent before any sign of life, nothing flashed', rig('CONSOLE_SILENCE'), { ...last, stage: 'firmware' }, 'lab'],
  [
    'silent after flashing a build',
    rig('CONSOLE_SILENCE'),
    { ...last, stage: 'firmware', canRecover: true },
    'recover',
  ],
  [
    'no banner in time after flashing',
    rig('CONSOLE_TIMEOUT'),
    { ...last, stage: 'firmware', canRecover: true },
    'recover',
  ],
  ['dom0 SSH never answers, last attempt', rig('DOM0_TIMEOUT'), { ...last, stage: 'dom0' }, 'lab'],
  ['lease lost mid-boot (whatever the console said)', panic(), { ...first, lost: true }, 'lab'],
  ['iPXE menu arrow lost, attempts left', rig('IPXE_MENU_MISSED'), { ...first, stage: 'ipxe' }, 'retry'],
  ['iPXE menu arrow lost every time', rig('IPXE_MENU_MISSED'), { ...last, stage: 'ipxe' }, 'lab'],
  ['the rig names Ctrl-B on PC Engines firmware', rig('IPXE_ENTRY_MISMATCH'), { ...first, stage: 'ipxe' }, 'lab'],
  ['the board never fetched boot.ipxe', rig('PXE_NOT_FETCHED'), { ...first, stage: 'ipxe' }, 'lab'],
  ['a programming error', new TypeError('x is undefined'), first, 'other'],
];

describe('boot/classify: who is to blame for a failed boot attempt', () => {
  for (const [name, error, ctx, kind, code] of rows)
    it(`${name} → ${kind}${code ? ` (${code})` : ''}`, () => {
      const v = classify(error, { stage: 'firmware', canRecover: false, lost: false, ...first, ...ctx });
      assert.equal(v.kind, kind);
      if (code) assert.equal(v.kind === 'board' && v.code, code);
    });
});
