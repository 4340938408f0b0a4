import assert from 'node:assert/strict';
import { isRigError } from '../../lib/core/errors.ts';
import type { CommandResult } from '../../lib/core/result.ts';
import { assertCommandOk } from '../../lib/evidence/command.ts';
import { diagnosesOf } from '../../lib/report/collect.ts';

const failed = (stderr: string): CommandResult => ({
  command: 'modprobe xen-pciback && test -d /sys/bus/pci/drivers/pciback',
  exitCode: 1,
  stdout: '',
  stderr,
  durationMs: 40,
  timedOut: false,
});

describe('evidence/command: whose failure a needed command is', () => {
  it('a failure its diagnosis pins on the lab (pciback refused by modprobe) is broken: COMMAND_FAILED naming PCIBACK_NOT_LOADED', async () => {
    const r = failed(
      "modprobe: ERROR: ../libkmod/libkmod-module.c:1047 command_do() Error running install command '/bin/false' for module xen_pciback: retcode 1\nmodprobe: ERROR: could not insert 'xen_pciback': Invalid argument",
    );
    await assert.rejects(
      assertCommandOk(r, 'modprobe xen-pciback'),
      (e) => isRigError(e, 'COMMAND_FAILED') && e.part === 'dom0' && /PCIBACK_NOT_LOADED/.test(e.message),
    );
  });

  it('the failure carries its diagnoses as data: the finding names it before the error code', async () => {
    const r = failed("modprobe: ERROR: could not insert 'xen_pciback': Invalid argument");
    const err = await assertCommandOk(r, 'modprobe xen-pciback').catch((e: unknown) => e);
    assert.deepEqual(diagnosesOf(err), {
      code: 'PCIBACK_NOT_LOADED',
      diagnoses: [
        { code: 'COMMAND_FAILED', severity: 'error' },
        {
          code: 'PCIBACK_NOT_LOADED',
          severity: 'error',
          text: "modprobe: ERROR: could not insert 'xen_pciback': Invalid argument",
        },
      ],
    });
    // An assertion without findings names no code (not ERR_ASSERTION, which is Node's, not ours).
    const plain = await assertCommandOk(failed('something else'), 'x').catch((e: unknown) => e);
    assert.deepEqual(diagnosesOf(plain), { diagnoses: [] });
  });

  it("an unexplained failure stays an assertion (the board's)", async () => {
    await assert.rejects(
      assertCommandOk(failed('something else went wrong'), 'modprobe xen-pciback'),
      (e) => (e as Error).name === 'AssertionError',
    );
  });
});
