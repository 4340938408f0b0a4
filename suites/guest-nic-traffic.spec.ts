// A guest drives the passed-through NIC at line rate: iperf3 both ways (-R makes the device
// write to guest memory through the IOMMU), against the same NIC driven by dom0.
import assert from 'node:assert/strict';
import { attach } from '../lib/core/step.ts';
import { xlDmesg } from '../lib/dom0/guest.ts';
import { iperfCommand, withNicNamespace } from '../lib/dom0/netns-iperf.ts';
import { Passthrough } from '../lib/dom0/passthrough.ts';
import { netIfOf } from '../lib/dom0/pci.ts';
import { assertCommandOk, attachResult } from '../lib/evidence/command.ts';
import { defineSuite } from '../lib/mocha/define-suite.ts';
import { bootTo, skipBecause } from '../lib/mocha/suite-kit.ts';
import { compareThroughput, parseIperf3 } from '../lib/net/iperf3.ts';
import type { RemoteShell } from '../lib/remote/types.ts';
import { barChartSvg } from '../lib/report/bar-chart.ts';
import { measure } from '../lib/report/measurements.ts';
import { parseXenLog } from '../lib/xen/xen-log.ts';

const SUITE = 'guest-nic-traffic';
const mbit = (bps: number) => bps / 1e6;

export default defineSuite(
  {
    name: 'guest-nic-traffic',
    order: 40,
    proves:
      "iperf3 both ways from the guest over the passed-through NIC vs the same NIC driven by dom0, no new `IO_PAGE_FAULT`, ratio against the rig's threshold",
  },
  (run) => {
    describe(SUITE, () => {
      let pt: Passthrough;
      let faultsBefore = 0;
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
          await measure({ suite: SUITE, name: `${label} ${reverse ? 'rx' : 'tx'}`, value: mbit(bps), unit: 'Mbit/s' });
        }
        results[label] = out;
        return out;
      }

      before(async function () {
        await bootTo(this, run, 'dom0');
        const rig = run.rig;
        if (!rig.traffic) skipBecause(this, `rig ${rig.name} has no traffic section (peer)`);
        if (!rig.capabilities.passthroughNic) skipBecause(this, `rig ${rig.name} names no passthroughNic`);
        const d = await run.session.dom0();
        pt = new Passthrough(d, rig, rig.capabilities.passthroughNic);
        faultsBefore = parseXenLog(await xlDmesg(d)).pageFaults.length;
      });

      after(async function () {
        this.timeout(0);
        await pt?.release().catch(() => {});
        const bars = Object.entries(results).flatMap(([k, v]) => [
          { label: `${k} tx`, value: mbit(v.tx) },
          { label: `${k} rx`, value: mbit(v.rx) },
        ]);
        if (bars.length) await attach('throughput', barChartSvg('iperf3 throughput', 'Mbit/s', bars), 'image/svg+xml');
      });

      it('measures the dom0 baseline on the NIC before assignment', async () => {
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

      it('gives the guest an address on the passed-through NIC', async function () {
        const rig = run.rig;
        const type = rig.guests?.types.find((t) => rig.capabilities[t]);
        if (!type) skipBecause(this, `rig ${rig.name} lists no guest type the board can run`);
        await pt.seize();
        const guest = await pt.startGuest(type);
        const r = await guest.check('ip -4 -o addr show scope global', { timeoutMs: 20_000 });
        await attachResult('guest addresses', r);
        assert.match(r.stdout, /inet \d+\.\d+\.\d+\.\d+/, 'the guest has no IPv4 address');
      });

      it('passes traffic both ways through the passed-through NIC', async function () {
        if (!pt.guest) skipBecause(this, 'no guest is running (previous test failed)');
        const v = await iperfBothWays('passthrough', pt.guest);
        assert.ok(v.tx > 0 && v.rx > 0, 'no traffic through the passed-through NIC');
      });

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
        const pass = results.passthrough;
        if (!base || !pass) skipBecause(this, 'a measurement is missing (earlier test failed)');
        const threshold = run.rig.traffic!.threshold;
        for (const dir of ['tx', 'rx'] as const) {
          const c = compareThroughput(pass[dir], base[dir], threshold);
          assert.ok(c.ratio !== null, `no usable ${dir} baseline to compare with`);
          await measure({
            suite: SUITE,
            name: `passthrough/baseline ${dir}`,
            value: c.ratio,
            unit: 'ratio',
            threshold: threshold ? `≥ ${threshold}` : 'recorded, no threshold',
          });
          if (threshold !== undefined)
            assert.ok(
              c.pass,
              `passthrough ${dir} is ${(c.ratio * 100).toFixed(0)}% of the dom0 baseline (threshold ${threshold * 100}%)`,
            );
        }
      });

      it('measures a PV guest on netfront when the rig asks', function () {
        if (!run.rig.traffic?.measurePv)
          skipBecause(this, 'rig does not ask for a PV netfront measurement (traffic.measurePv)');
        // Said out loud rather than silently ignored: the rig asked for a figure this version lacks.
        skipBecause(this, 'PV netfront measurement (bridged vif in dom0) is not implemented yet: no figure recorded');
      });
    });
  },
);
