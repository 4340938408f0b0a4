import assert from 'node:assert/strict';
import { parseXlInfo } from '../../lib/xen/xl-info.ts';

const XEN_417 = `host                   : dom0
release                : 6.1.0-40-amd64
nr_cpus                : 2
virt_caps              : pv hvm hvm_directio pv_directio hap shadow gnttab-v1 gnttab-v2
total_memory           : 3071
free_memory            : 1923
xen_major              : 4
xen_minor              : 17
xen_extra              : .7
xen_version            : 4.17.7
xen_commandline        : console=com1 com1=115200,8n1 iommu=verbose,debug
`;

const XEN_48_NO_IOMMU = `nr_cpus                : 4
virt_caps              : hvm
xen_major              : 4
xen_minor              : 8
xen_extra              : .3
`;

describe('xen/xl-info', () => {
  it('reads Xen 4.17 output with passthrough caps', () => {
    const i = parseXlInfo(XEN_417);
    assert.equal(i.xenVersion, '4.17.7');
    assert.equal(i.hvmDirectio, true);
    assert.equal(i.pvDirectio, true);
    assert.equal(i.nrCpus, 2);
    assert.equal(i.totalMemoryMiB, 3071);
    assert.match(i.commandLine!, /iommu=verbose/);
    assert.ok(i.virtCaps.includes('hap'));
  });
  it('builds the version from major/minor/extra (4.8) and sees no directio without an IOMMU', () => {
    const i = parseXlInfo(XEN_48_NO_IOMMU.replace(/\n/g, '\r\n'));
    assert.equal(i.xenVersion, '4.8.3');
    assert.equal(i.hvm, true);
    assert.equal(i.hvmDirectio, false);
  });
  it('says null, not false, when virt_caps is absent', () => {
    const i = parseXlInfo('garbage\n');
    assert.equal(i.hvmDirectio, null);
    assert.equal(i.xenVersion, null);
  });
});
