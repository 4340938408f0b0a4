// A guest drives the passed-through NIC at line rate: iperf3 both ways (-R makes the device
// write to guest memory through the IOMMU), from an HVM and a PV guest, against the same NIC
// driven by dom0 — and, for the reference post's comparison, a PV guest on netfront.
import assert from 'node:assert/strict';
import { attach } from '../lib/core/step.ts';
import { xlDmesg } from '../lib/dom0/guest.ts';
import { GuestDomain } from '../lib/dom0/guest-domain.ts';
import { netfrontVif, withNetfrontBridge } from '../lib/dom0/netfront-bridge.ts';
import { iperfCommand, withNicNamespace } from '../lib/dom0/netns-iperf.ts';
import type { Passthrough } from '../lib/dom0/passthrough.ts';
import { netIfOf } from '../lib/dom0/pci.ts';
import { listPciDevices } from '../lib/dom0/sysfs-pci.ts';
import { assertCommandOk, assertWithDiagnosis, attachResult } from '../lib/evidence/command.ts';
import { guestNicDiagnosis } from '../lib/net/guest-nic-view.ts';
import { compareThroughput, parseIperf3 } from '../lib/net/iperf3.ts';
import type { RemoteShell } from '../lib/remote/types.ts';
import { throughputChart } from '../lib/report/throughput-chart.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { GUEST_TYPES, guestTypeSkipReason } from '../lib/run/guest-types.ts';
import { bootTo, skipBecause } from '../lib/run/suite-kit.ts';
import { parseXenLog } from '../lib/xen/xen-log.ts';
import { parseXlInfo } from '../lib/xen/xl-info.ts';

const SUITE = 'guest-nic-traffic';
const mbit = (bps: number) => bps / 1e6;

export default defineSuite(
  {
    name: 'guest-nic-traffic',
    order: 40,
    needs: ['traffic', 'passthroughNic'],
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      'measures the dom0 baseline on the NIC before assignment': 'dom0-baseline',
      'passes traffic both ways through the NIC passed to a HVM guest': 'passthrough-hvm',
      'passes traffic both ways through the NIC passed to a PV guest': 'passthrough-pv',
      'measures a PV guest on netfront (no passthrough), for the comparison': 'pv-netfront',
      'logs no IO_PAGE_FAULT during the scenario': 'no-io-page-fault',
      'reaches the rig threshold of the dom0 baseline': 'threshold',
    },
    labels: {
      'dom0-baseline': { severity: 'normal', tags: ['iperf3', 'throughput'] },
      'passthrough-hvm': { severity: 'critical', tags: ['hvm', 'passthrough', 'iperf3', 'throughput'] },
      'passthrough-pv': { severity: 'critical', tags: ['pv', 'passthrough', 'iperf3', 'throughput'] },
      'pv-netfront': { severity: 'minor', tags: ['pv', 'netfront', 'iperf3', 'throughput'] },
      'no-io-page-fault': { severity: 'critical', tags: ['io-page-fault'] },
      threshold: { severity: 'critical', tags: ['throughput'] },
    },
    proves:
      "iperf3 both ways from an HVM and a PV guest over the passed-through NIC vs the same NIC driven by dom0 (and a PV guest on netfront), no new `IO_PAGE_FAULT`, ratio against the rig's threshold",
  },
  (run) => {
    describe(SUITE, () => {
      let pt: Passthrough;
      let faultsBefore = 0;
      let virtCaps: string[] = [];
      const results: Record<string, { tx: number; rx: number }> = {};

      async function iperfBothWays(label: string, shell: RemoteShell, wrap: (c: string) => string = (c) => c) {
        const t = run.rig.traffic!;
        const out = { tx: 0, rx: 0 };
        for (const reverse of [false, true]) {
          const r = await shell.run(wrap(iperfCommand(t.peer, t.seconds, reverse)), {
            timeoutMs: (t.seconds + 60) * 1000,
          });
          await attachResult(`iperf3 ${label}${reverse ? ' -R (peer → board)' : ' (board → peer)'}`, r);
          const res = parseIperf3(r.stdout);
          assert.ok(
            !res.error && r.exitCode === 0,
            `iperf3 ${label}${reverse ? ' -R' : ''} failed: ${res.error ?? r.stderr.trim()}`,
          );
          const bps = res.receivedBitsPerSecond ?? 0;
          if (reverse) out.rx = bps;
          else out.tx = bps;
          await run.measure({
            suite: SUITE,
            name: `${label} ${reverse ? 'rx' : 'tx'}`,
            value: mbit(bps),
            unit: 'Mbit/s',
          });
        }
        results[label] = out;
        return out;
      }

      before('boot to dom0, find the passthrough NIC, count the IO_PAGE_FAULTs so far', async function () {
        await bootTo(this, run, 'dom0');
        const rig = run.rig;
        const d = await run.session.dom0();
        pt = run.passthroughs.get(d, rig.capabilities.passthroughNic!); // needs: passthroughNic
        virtCaps = parseXlInfo((await d.check('xl info', { timeoutMs: 30_000 })).stdout).virtCaps;
        faultsBefore = parseXenLog(await xlDmesg(d)).pageFaults.length;
      });

      // No after hook giving the NIC back: the last guest is a run-level fixture that the next suite
      // (dma-isolation) may be handed; the run gives the NIC back to dom0 when it ends.

      it('measures the dom0 baseline on the NIC before assignment', async () => {
        if (pt.held || pt.domain) await pt.release();
        await pt.inspect();
        const ifname = await netIfOf(pt.dom0, pt.bdf);
        assert.ok(ifname, `dom0 has no network interface on ${pt.bdf}`);
        const { setup, value } = await withNicNamespace(
          pt.dom0,
          { ifname, address: run.rig.traffic!.guestAddress },
          (inNs) => iperfBothWays('dom0 baseline', pt.dom0, inNs),
        );
        await assertCommandOk(setup, `bring up ${ifname} in its own namespace`);
        assert.ok(value && value.tx > 0 && value.rx > 0, 'dom0 baseline moved no traffic');
      });

      it('measures a PV guest on netfront (no passthrough), for the comparison', async function () {
        const rig = run.rig;
        if (!rig.traffic?.measurePv)
          skipBecause(this, 'rig does not ask for a PV netfront measurement (traffic.measurePv)');
        const why = guestTypeSkipReason(rig, 'pv', run.opts.guests, virtCaps);
        if (why) skipBecause(this, why);
        // The NIC stays with dom0's driver: netback and dom0's bridge carry the guest's traffic.
        if (pt.held || pt.domain) await pt.release();
        const ifname = await netIfOf(pt.dom0, pt.bdf);
        assert.ok(ifname, `dom0 has no network interface on ${pt.bdf} after giving it back`);
        const { setup, value } = await withNetfrontBridge(pt.dom0, ifname, async (mac) => {
          const g = await GuestDomain.start(pt.dom0, rig, {
            name: 'iommu-lab-netfront',
            type: 'pv',
            pci: [],
            vifs: [netfrontVif(mac)],
          });
          try {
            return await iperfBothWays('pv netfront', g.shell!);
          } finally {
            await g.destroy();
          }
        });
        await assertCommandOk(setup, `bridge ${ifname} for the netfront guest`);
        assert.ok(value && value.tx > 0 && value.rx > 0, 'the netfront guest moved no traffic');
      });

      // PV first, HVM last: dma-isolation starts with the HVM guest, and is handed this one.
      for (const type of [...GUEST_TYPES].reverse()) {
        it(`passes traffic both ways through the NIC passed to a ${type.toUpperCase()} guest`, async function () {
          const why = guestTypeSkipReason(run.rig, type, run.opts.guests, virtCaps);
          if (why) skipBecause(this, why);
          // The guest stays up for the next test or suite that needs this type (a failure destroys it).
          await pt.withGuest(type, async (guest) => {
            if (!pt.reusedLast)
              await run.measure({
                suite: SUITE,
                name: `${type} guest boot to SSH`,
                value: pt.domain!.bootMs / 1000,
                unit: 's',
              });
            const r = await guest.check('ip -4 -o addr show scope global', { timeoutMs: 20_000 });
            await attachResult(`${type} guest addresses`, r);
            assert.match(r.stdout, /inet \d+\.\d+\.\d+\.\d+/, `the ${type} guest has no IPv4 address on the NIC`);
            let v: { tx: number; rx: number } | undefined;
            let failure: unknown;
            try {
              v = await iperfBothWays(`passthrough ${type}`, guest);
            } catch (e) {
              failure = e;
            }
            if (!v || v.tx === 0 || v.rx === 0) {
              // The reference post's pfSense symptom: link and an address, yet nothing moves.
              const dev = pt.device!;
              const seen = (await listPciDevices(guest)).devices.find(
                (d) => d.vendor === dev.vendor && d.device === dev.device,
              );
              const nic = seen ? await guestNicDiagnosis(guest, seen.bdf) : null;
              const why =
                failure instanceof Error ? failure.message : `no traffic through the NIC passed to the ${type} guest`;
              assertWithDiagnosis(
                false,
                nic?.summary ? `${why}\n${nic.summary}\ntry, in order: ${nic.remedies.join('; ')}` : why,
                nic?.finding ? [nic.finding] : [],
              );
            }
          });
        });
      }

      it('logs no IO_PAGE_FAULT during the scenario', async () => {
        const faults = parseXenLog(await xlDmesg(pt.dom0)).pageFaults;
        assert.equal(
          faults.length - faultsBefore,
          0,
          `new IO_PAGE_FAULTs:\n${faults
            .slice(faultsBefore)
            .map((f) => f.text)
            .join('\n')}`,
        );
      });

      it('reaches the rig threshold of the dom0 baseline', async function () {
        const base = results['dom0 baseline'];
        const passes = Object.keys(results).filter((k) => k.startsWith('passthrough '));
        const threshold = run.rig.traffic?.threshold;
        // The chart of what was measured, on the test that judges it, with the threshold drawn.
        if (Object.keys(results).length)
          await attach('throughput', throughputChart(results, threshold), 'image/svg+xml');
        if (!base || !passes.length) skipBecause(this, 'a measurement is missing (earlier test failed)');
        const below: string[] = [];
        for (const label of passes) {
          for (const dir of ['tx', 'rx'] as const) {
            const c = compareThroughput(results[label]![dir], base[dir], threshold);
            assert.ok(c.ratio !== null, `no usable ${dir} baseline to compare with`);
            await run.measure({
              suite: SUITE,
              name: `${label}/baseline ${dir}`,
              value: c.ratio,
              unit: 'ratio',
              threshold: threshold ? `≥ ${threshold}` : 'recorded, no threshold',
            });
            if (threshold !== undefined && !c.pass)
              below.push(`${label} ${dir} is ${(c.ratio * 100).toFixed(0)}% of the dom0 baseline`);
          }
        }
        assert.deepEqual(below, [], `below the rig threshold of ${(threshold ?? 0) * 100}%: ${below.join('; ')}`);
      });
    });
  },
);
