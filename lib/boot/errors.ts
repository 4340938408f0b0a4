import { AssertionError } from 'node:assert';
import { brand } from '../core/brand.ts';
import type { ErrorCode } from '../core/error-codes.ts';
import { isRigError, RigError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';

/**
 * The board itself failed to boot (panic, or silence after a new firmware): a test failure,
 * not the lab's. An AssertionError, so Allure and JUnit call it "failed", not "broken".
 */
export class BootFailure extends AssertionError {
  readonly lastLines: string;
  constructor(
    message: string,
    readonly stage: string,
    lastLines: string,
    /** A board-owned code (lib/core/error-codes.ts): named with the part on the console. */
    readonly failure: ErrorCode = 'BOOT_FAILED',
  ) {
    // Reports (Allure statusDetails, JUnit) take the message as it is: masked here, at the source.
    super({ message: redact(`${message}\nlast console lines:\n${lastLines}`) });
    this.lastLines = redact(lastLines);
  }
}

export const isBootFailure = brand(BootFailure, 'BootFailure');

/** Thrown by to() once an earlier infrastructure failure latched the strategy as broken. */
export class BenchBroken extends RigError {
  constructor(readonly first: Error) {
    super(`bench is broken since an earlier failure: ${first.message.split('\n')[0]}`, {
      code: 'BENCH_BROKEN',
    });
    this.name = 'BenchBroken';
  }
}

/** Console outcomes that mean "the board stopped making progress": worth a retry. */
export function isHang(e: unknown): boolean {
  return isRigError(
    e,
    'CONSOLE_SILENCE',
    'CONSOLE_TIMEOUT',
    'DOM0_TIMEOUT',
    'IPXE_MENU_MISSED',
    'IPXE_INPUT_LOST',
    'UEFI_BOOT_MENU_MISSED',
  );
}
