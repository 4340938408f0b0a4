import assert from 'node:assert/strict';
import { parseAcpiTableList } from '../../lib/xen/acpi-tables.ts';
import { parseXenLog } from '../../lib/xen/xen-log.ts';
import { logFixture } from '../fixtures/logs.ts';

const LIST = [
  'ACPI: RSDP 000F3BF0, 0024 (r2 CORE  )',
  'ACPI: FACP CFEAD900, 00F4 (r4 CORE   COREBOOT        0 CORE        0)',
  'ACPI: FACS CFEAC240, 0040',
];
const IVRS = 'ACPI: IVRS CFEADE80, 0108 (r1 CORE   COREBOOT        0 CORE        0)';

describe('xen/acpi-tables', () => {
  it('finds IVRS', () => {
    const r = parseAcpiTableList([...LIST, IVRS, 'System RAM: 4078MB']);
    assert.deepEqual(r, { tables: ['RSDP', 'FACP', 'FACS', 'IVRS'], complete: true, damaged: false, ivrs: true });
  });

  it('says false only for a complete list without IVRS', () => {
    assert.equal(parseAcpiTableList([...LIST, 'System RAM: 4078MB']).ivrs, false);
    assert.equal(parseAcpiTableList(LIST).ivrs, null);
    assert.equal(parseAcpiTableList(['Command line: x']).ivrs, null);
  });

  it('a blank line inside the list does not end it; the first other line does', () => {
    const r = parseAcpiTableList([LIST[0]!, '', '   ', ...LIST.slice(1), IVRS, 'System RAM: 4078MB', 'ACPI: late']);
    assert.deepEqual(r, { tables: ['RSDP', 'FACP', 'FACS', 'IVRS'], complete: true, damaged: false, ivrs: true });
    assert.equal(parseAcpiTableList([...LIST, '', 'System RAM: 4078MB']).ivrs, false);
  });

  it('a damaged table line before IVRS is not the end of the list: IVRS is still found', () => {
    const r = parseAcpiTableList([LIST[0]!, 'ACPI: FAC', LIST[2]!, IVRS, 'System RAM: 4078MB']);
    assert.equal(r.ivrs, true);
    assert.equal(r.damaged, true);
  });

  it('a damaged line in a list without IVRS leaves it unknown (it may have been the IVRS line)', () => {
    assert.equal(parseAcpiTableList([...LIST, 'ACPI: IV\ufffd\ufffd', 'System RAM: 4078MB']).ivrs, null);
    assert.equal(parseAcpiTableList([...LIST, 'garbage', 'ACPI: HPET CFEB3010, 0038 (r1)', 'System RAM']).ivrs, null);
  });

  it('finds an IVRS line whose prefix noise destroyed', () => {
    assert.equal(parseAcpiTableList([...LIST, `\ufffdX${IVRS.slice(1)}`, 'System RAM: 4078MB']).ivrs, true);
  });

  it('judges the last list of a transcript holding several boots', () => {
    const withIvrs = [...LIST, IVRS, 'System RAM: 4078MB'];
    const without = [...LIST, 'System RAM: 4078MB'];
    assert.equal(parseAcpiTableList([...withIvrs, 'reboot', ...without]).ivrs, false);
    assert.equal(parseAcpiTableList([...without, 'reboot', ...withIvrs]).ivrs, true);
  });

  it('the real apu2 xl dmesg, with one line damaged: IVRS found, never IVRS_MISSING', () => {
    const log = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
    assert.equal(parseXenLog(log).ivrs, true);
    const damaged = log.replace(/^\(XEN\) ACPI: FACP .*$/m, '(XEN) ACPI: FAC');
    assert.equal(parseXenLog(damaged).ivrs, true);
    const prefixLost = log.replace(/^\(XEN\) ACPI: IVRS/m, '(X\ufffdN) ACPI: IVRS');
    assert.equal(parseXenLog(prefixLost).ivrs, true);
    const noIvrs = log.replace(/^\(XEN\) ACPI: IVRS.*\n/m, '');
    assert.equal(parseXenLog(noIvrs).ivrs, false);
    assert.equal(parseXenLog(noIvrs.replace(/^\(XEN\) ACPI: FACP .*$/m, '(XEN) ACPI: FAC')).ivrs, null);
  });
});
