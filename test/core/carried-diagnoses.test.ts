import { AssertionError } from 'node:assert';
import assert from 'node:assert/strict';
import { carriedDiagnoses, carryDiagnoses } from '../../lib/core/carried-diagnoses.ts';

describe('core/carried-diagnoses', () => {
  it('an error carries its diagnoses, once per code, without showing them in its own fields', () => {
    const err = carryDiagnoses(new AssertionError({ message: 'leak' }), [
      { code: 'DMA_NOT_ISOLATED', severity: 'error', text: 'DMA_NOT_ISOLATED: x' },
    ]);
    carryDiagnoses(err, [
      { code: 'DMA_NOT_ISOLATED', severity: 'error' },
      { code: 'IOMMU_PAGE_FAULT', severity: 'warning' },
    ]);
    assert.deepEqual(carriedDiagnoses(err), [
      { code: 'DMA_NOT_ISOLATED', severity: 'error', text: 'DMA_NOT_ISOLATED: x' },
      { code: 'IOMMU_PAGE_FAULT', severity: 'warning' },
    ]);
    assert.ok(!Object.keys(err).includes('diagnoses'));
    assert.deepEqual(carriedDiagnoses(new Error('plain')), []);
    assert.deepEqual(carriedDiagnoses('not an error'), []);
  });
});
