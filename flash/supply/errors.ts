// A refusal: iommu-lab will not flash this image (or this way) and has touched nothing.
// One line for the user, exit 2, like any other usage error.
import type { RefusalCode } from '../../lib/core/error-codes.ts';
import { UsageError } from '../../lib/core/errors.ts';

export class FlashRefused extends UsageError {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(`flash refused: ${message}`);
    this.name = 'FlashRefused';
  }
}
