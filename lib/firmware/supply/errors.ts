// A refusal: iommu-lab will not flash this image (or this way) and has touched nothing.
// One line for the user, exit 2, like any other usage error.
import { UsageError } from '../../core/errors.ts';

export type RefusalCode =
  | 'SIZE'
  | 'NOT_COREBOOT'
  | 'WRONG_BOARD'
  | 'CHECKSUM'
  | 'CHECKSUM_FORMAT'
  | 'TOO_LARGE'
  | 'NOT_FOUND'
  | 'NO_FLASHER'
  | 'NO_KNOWN_GOOD'
  | 'SETTINGS';

export class FlashRefused extends UsageError {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(`flash refused: ${message}`);
    this.name = 'FlashRefused';
  }
}
