// The detached guest script: every rig- or network-derived value quoted, the three probe runs in
// order with the unbind first and the rebind last, and the network put back after them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { guestProbeScript } from '../../lib/dma/guest-script.ts';

const base = {
  dir: '/tmp/iommu-lab/probe-run',
  binary: '/tmp/iommu-lab/dma-probe',
  bdf: '00:05.0',
  driver: 'e1000e',
  target: '0x10950d000',
};

describe('dma/guest-script', () => {
  it('runs positive (unbind), target read, target write (rebind) in that order, then restores the network', () => {
    const s = guestProbeScript(base);
    const positive = s.indexOf('--positive');
    const read = s.indexOf('--target 0x10950d000');
    const write = s.indexOf('--write');
    assert.ok(positive > 0 && read > positive && write > read, s);
    assert.match(s.slice(positive, read), /--unbind/);
    assert.match(s.slice(write), /--rebind/);
    assert.ok(s.indexOf('ip addr add') > write && s.indexOf('probe.done') > s.indexOf('ip addr add'));
    assert.match(s, /\/sys\/bus\/pci\/devices\/0000:00:05\.0/);
    // Valid sh: parsed (not run) by the shell a guest has.
    execFileSync('sh', ['-n'], { input: s });
  });

  it('passes the P2M file of a PV guest to every probe run', () => {
    const s = guestProbeScript({ ...base, p2m: '/tmp/iommu-lab/p2m.txt' });
    assert.equal(s.match(/--p2m \/tmp\/iommu-lab\/p2m\.txt /g)?.length, 3);
  });

  for (const [what, patch] of [
    ['a target that is not an address', { target: '0x1000; reboot' }],
    ['a BDF with shell in it', { bdf: '00:05.0;reboot' }],
    ['a driver name with shell in it', { driver: 'e1000e/../../x' }],
    ['a binary path with a newline', { binary: '/tmp/x\nreboot' }],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => guestProbeScript({ ...base, ...patch }));
    });
  }
});
