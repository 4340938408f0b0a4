import assert from 'node:assert/strict';
import { locallyAdministered, NETFRONT_BRIDGE, netfrontVif } from '../../lib/dom0/netfront-bridge.ts';

describe('dom0/netfront-bridge', () => {
  it("the guest's vif takes the NIC's MAC; dom0's port a locally administered one", () => {
    assert.equal(netfrontVif('00:0d:b9:00:00:02'), `bridge=${NETFRONT_BRIDGE},mac=00:0d:b9:00:00:02`);
    assert.equal(locallyAdministered('00:0d:b9:00:00:02'), '02:0d:b9:00:00:02');
    assert.equal(locallyAdministered('02:0d:b9:00:00:02'), '02:0d:b9:00:00:02');
  });

  it('refuses anything from dom0 that is not a MAC (it goes into the xl.cfg vif line)', () => {
    for (const bad of ['', '00:0d:b9:00:00', '00:0d:b9:00:00:02,script=/tmp/x', '00:0D:B9:00:00:02\n'])
      assert.throws(() => netfrontVif(bad), /not a MAC address/);
  });
});
