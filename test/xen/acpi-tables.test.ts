import assert from 'node:assert/strict';
import { parseAcpiTableList } from '../../lib/xen/acpi-tables.ts';

const LIST = [
  'ACPI: RSDP 000F3BF0, 0024 (r2 CORE  )',
  'ACPI: FACP CFEAD900, 00F4 (r4 CORE   COREBOOT        0 CORE        0)',
  'ACPI: FACS CFEAC240, 0040',
];

describe('xen/acpi-tables', () => {
  it('finds IVRS', () => {
    const r = parseAcpiTableList([
      ...LIST,
      'ACPI: IVRS CFEADE80, 0108 (r1 CORE   COREBOOT        0 CORE        0)',
      'System RAM: 4078MB',
    ]);
    assert.deepEqual(r, { tables: ['RSDP', 'FACP', 'FACS', 'IVRS'], complete: true, ivrs: true });
  });
  it('says false only for a complete list without IVRS', () => {
    assert.equal(parseAcpiTableList([...LIST, 'System RAM: 4078MB']).ivrs, false);
    assert.equal(parseAcpiTableList(LIST).ivrs, null);
    assert.equal(parseAcpiTableList(['Command line: x']).ivrs, null);
  });
});
