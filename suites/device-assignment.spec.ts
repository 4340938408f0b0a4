// The procedure of the reference post: pciback seizes the NIC, Xen makes it assignable, a
// guest gets it and drives it, and dom0 gets it back afterwards.
import assert from 'node:assert/strict';
import { attach } from '../lib/core/step.ts';
import type { Passthrough } from '../lib/dom0/passthrough.ts';
import { assignableList, driverOf, isAssignable, netIfOf } from '../lib/dom0/pci.ts';
import { listPciDevices } from '../lib/dom0/sysfs-pci.ts';
import { attachResult } from '../lib/evidence/command.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { GUEST_TYPES, guestTypeSkipReason } from '../lib/run/guest-types.ts';
import { bootTo, skipBecause } from '../lib/run/suite-kit.ts';
import { normalizeBdf } from '../lib/xen/bdf.ts';
import { parseXlInfo } from '../lib/xen/xl-info.ts';
import { parseXlPciList } from '../lib/xen/xl-pci.ts';

export default defineSuite(
  {
    name: 'device-assignment',
    order: 30,
    needs: ['passthroughNic'],
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      'loads xen-pciback and seizes the NIC from dom0': 'seize-nic',
      'lists the NIC in xl pci-assignable-list': 'assignable-list',
      'gives the NIC to a HVM guest that drives it': 'guest-hvm',
      'gives the NIC to a PV guest that drives it': 'guest-pv',
      'returns the NIC to dom0 and its driver rebinds': 'return-nic',
    },
    labels: {
      'seize-nic': { severity: 'blocker', tags: ['pciback'] },
      'assignable-list': { severity: 'critical', tags: ['pciback'] },
      'guest-hvm': { severity: 'critical', tags: ['hvm', 'passthrough'] },
      'guest-pv': { severity: 'critical', tags: ['pv', 'passthrough'] },
      'return-nic': { severity: 'normal', tags: ['pciback'] },
    },
    proves:
      '`xen-pciback` seizes the NIC, `xl pci-assignable-add/list`, a guest with `pci=[...]` sees the NIC with a driver bound, `xl pci-assignable-remove -r` gives it back',
  },
  (run) => {
    describe('device-assignment', () => {
      let pt: Passthrough;
      let nic: string;
      let virtCaps: string[] = [];
      /** Set once pciback holds the NIC: later tests build on it, and say so when it did not happen. */
      let seized = false;

      before('boot to dom0 and find the passthrough NIC', async function () {
        await bootTo(this, run, 'dom0');
        const rig = run.rig;
        nic = rig.capabilities.passthroughNic!; // needs: passthroughNic
        const d = await run.session.dom0();
        pt = run.passthroughs.get(d, nic);
        virtCaps = parseXlInfo((await d.check('xl info', { timeoutMs: 30_000 })).stdout).virtCaps;
      });

      after('give the NIC back to dom0', async function () {
        this.timeout(0);
        await pt?.release().catch(() => {});
      });

      it('loads xen-pciback and seizes the NIC from dom0', async () => {
        await pt.seize();
        assert.equal(await driverOf(pt.dom0, nic), 'pciback', `${nic} is not bound to pciback`);
        seized = true;
        assert.equal(await netIfOf(pt.dom0, nic), null, `dom0 still has a network interface on ${nic}`);
      });

      it('lists the NIC in xl pci-assignable-list', async function () {
        if (!seized) skipBecause(this, 'the NIC was not seized (the previous test failed): nothing to list');
        const list = await assignableList(pt.dom0);
        assert.ok(isAssignable(list, nic), `xl pci-assignable-list shows [${list.join(', ')}], not ${nic}`);
      });

      for (const type of GUEST_TYPES) {
        it(`gives the NIC to a ${type.toUpperCase()} guest that drives it`, async function () {
          const why = guestTypeSkipReason(run.rig, type, run.opts.guests, virtCaps);
          if (why) skipBecause(this, why);
          if (!seized) skipBecause(this, 'the NIC was not seized (an earlier test failed): no guest can own it');
          const guest = await pt.startGuest(type);
          const pciList = await pt.dom0.run(`xl pci-list ${pt.guestName}`, { timeoutMs: 20_000 });
          await attachResult('xl pci-list', pciList);
          assert.ok(
            parseXlPciList(pciList.stdout).some((e) => normalizeBdf(e.bdf) === normalizeBdf(nic)),
            `xl pci-list ${pt.guestName} does not show ${nic}`,
          );
          await attachResult(`lspci -nn in the ${type} guest`, await guest.run('lspci -nn', { timeoutMs: 20_000 }));
          const { devices, raw } = await listPciDevices(guest);
          await attach(`PCI devices in the ${type} guest (sysfs)`, raw);
          const want = `${pt.device!.vendor}:${pt.device!.device}`;
          const seen = devices.find((d) => `${d.vendor}:${d.device}` === want);
          assert.ok(
            seen,
            `the guest sees no ${want} device (it sees: ${devices.map((d) => `${d.vendor}:${d.device}`).join(', ') || 'none'})`,
          );
          assert.ok(seen.driver, `no driver is bound to the passed-through NIC (${seen.bdf}) in the guest`);
          await pt.stopGuest();
        });
      }

      it('returns the NIC to dom0 and its driver rebinds', async () => {
        await pt.release();
        const drv = await driverOf(pt.dom0, nic);
        assert.equal(
          drv,
          pt.originalDriver,
          `after pci-assignable-remove -r, ${nic} is bound to ${drv}, not ${pt.originalDriver}`,
        );
        const list = await assignableList(pt.dom0);
        assert.ok(!isAssignable(list, nic), `${nic} is still listed as assignable`);
      });
    });
  },
);
