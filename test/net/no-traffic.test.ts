import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIpLink, parseProcInterrupts } from '../../lib/net/nic-outputs.ts';
import { diagnoseNoTraffic, nicTrafficView } from '../../lib/net/no-traffic.ts';

const fx = (name: string) => readFileSync(new URL(`../fixtures/net/${name}`, import.meta.url), 'utf8');

describe('net/no-traffic', () => {
  it('Linux guest: link up, address set, 0 packets and 0 queue interrupts → NIC_NO_TRAFFIC', () => {
    const view = nicTrafficView('eth0', 'linux', {
      ipLink: fx('ip-s-link-no-traffic.txt'),
      ipAddr: fx('ip-o-addr.txt'),
      interrupts: fx('proc-interrupts-pv-guest-stuck.txt'),
    });
    assert.deepEqual(
      [view.linkUp, view.addresses, view.rxPackets, view.txPackets, view.interrupts],
      [true, ['10.0.2.15/24'], 0, 0, 0],
    );
    assert.deepEqual(view.interruptNames, ['eth0-rx-0', 'eth0-tx-0'], 'the link vector "eth0" is not a queue');
    const r = diagnoseNoTraffic(view);
    assert.equal(r.stuck, true);
    assert.equal(
      r.summary,
      'NIC_NO_TRAFFIC: eth0 (linux) has link and address 10.0.2.15/24 but received 0 packets, sent 0, 0 queue interrupts (eth0-rx-0, eth0-tx-0)',
    );
    assert.equal(r.finding?.code, 'NIC_NO_TRAFFIC');
    assert.match(r.finding!.message, /eth0 \(linux guest\) has link and address 10\.0\.2\.15\/24/);
    assert.deepEqual(r.remedies, [
      'boot the guest kernel with pci=nomsi (legacy INTx instead of MSI/MSI-X)',
      "check that the IOMMU translates the device's DMA: iommu-lab run --suite dma-isolation",
    ]);
  });

  it('a busybox guest: sysfs counters and ethtool -S (frames sent, none received) say the same', () => {
    const view = nicTrafficView('eth0', 'linux', {
      sysfs: fx('sysfs-net-no-traffic.txt'),
      ipAddr: fx('ip-o-addr.txt'),
    });
    assert.equal(diagnoseNoTraffic(view).stuck, true);
    const e = nicTrafficView('eth0', 'linux', {
      ethtool: fx('ethtool-S-e1000e-stuck.txt'),
      sysfs: 'x',
      ipAddr: fx('ip-o-addr.txt'),
    });
    assert.deepEqual([e.rxPackets, e.txPackets], [0, 4]);
  });

  it('FreeBSD/pfSense guest: remedies in the order of the reference post', () => {
    const view = nicTrafficView('igb0', 'freebsd', {
      ifconfig: fx('freebsd-ifconfig-igb0.txt'),
      netstat: fx('freebsd-netstat-i-igb0-stuck.txt'),
      vmstat: fx('freebsd-vmstat-i-stuck.txt'),
    });
    assert.deepEqual(
      [view.linkUp, view.addresses, view.rxPackets, view.txPackets, view.interrupts, view.interruptNames],
      [true, ['192.168.10.1'], 0, 12, 0, ['igb0:rxq0', 'igb0:rxq1']],
    );
    const r = diagnoseNoTraffic(view);
    assert.equal(r.finding?.code, 'NIC_NO_TRAFFIC');
    assert.deepEqual(r.remedies, [
      'hw.pci.msix_rewrite_table=1 in /boot/loader.conf.local, then reboot the guest',
      'MSI-X off for the NIC driver: hw.igb.enable_msix=0 (pfSense 2.4) or dev.igb.0.iflib.disable_msix=1 (pfSense 2.5+)',
      'hw.pci.enable_msix=0',
      'hw.pci.enable_msi=0',
      "check that the IOMMU translates the device's DMA: iommu-lab run --suite dma-isolation",
    ]);
    assert.match(
      r.finding!.remedy,
      /msix_rewrite_table=1.*enable_msix=0.*disable_msix=1.*hw\.pci\.enable_msix=0.*hw\.pci\.enable_msi=0.*pci=nomsi.*dma-isolation/,
    );
  });

  it('moving traffic, link down, or no address is not this symptom', () => {
    const moving = nicTrafficView('eth1', 'linux', {
      ipLink: fx('ip-s-link-moving.txt'),
      ipAddr: fx('ip-o-addr-eth1.txt'),
      interrupts: fx('proc-interrupts-pv-guest-moving.txt').replaceAll('eth0', 'eth1'),
    });
    assert.deepEqual([moving.rxPackets, moving.interrupts], [6, 8189]);
    assert.equal(diagnoseNoTraffic(moving).summary, null);
    const down = nicTrafficView('eth0', 'linux', { ipLink: fx('ip-s-link-down.txt'), ipAddr: fx('ip-o-addr.txt') });
    assert.equal(down.linkUp, false);
    assert.equal(diagnoseNoTraffic(down).stuck, false);
    const noAddr = nicTrafficView('eth0', 'linux', { ipLink: fx('ip-s-link-no-traffic.txt'), ipAddr: '' });
    assert.equal(diagnoseNoTraffic(noAddr).stuck, false);
  });

  it('reads only the interface asked for', () => {
    assert.equal(parseIpLink(fx('ip-s-link-no-traffic.txt'), 'eth1').linkUp, null);
    assert.equal(parseProcInterrupts(fx('proc-interrupts-pv-guest-stuck.txt'), 'eth1'), null);
  });
});
