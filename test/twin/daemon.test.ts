// End to end on the real twin (TCG QEMU, real SeaBIOS/iPXE/Xen/dom0): needs `iommu-lab twin
// setup` to have built the images. Boots through the same endpoints a bench user has.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootServer } from '../../lib/pxe/boot-server.ts';
import { twinGpio } from '../../twin/base/gpio-map.ts';
import { twinPaths, twinPorts } from '../../twin/base/paths.ts';
import { twinDown, twinStatus } from '../../twin/daemon/manage.ts';
import { buildTwinFirmware } from '../../twin/firmware/build.ts';
import { ensureTwinImages } from '../../twin/images/index.ts';
import { SerialClient } from '../../twin/serial/client.ts';
import { chainByHand, MENU_ITEM, startTwinBootServer } from '../../twin/tools/bare-ipxe.ts';
import { holdTwinBench, twinUpWhenFree } from '../../twin/tools/bench-lock.ts';
import { gpio, scp, ssh } from './bench-client.ts';

const CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';
const RTE_SPI = 'linux_spi:dev=/dev/spidev1.0,spispeed=16000';

function ourQemu(): boolean {
  try {
    return execFileSync('pgrep', ['-f', join(twinPaths.run, 'board', 'qmp.sock')], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

async function waitStatus(pred: (s: ReturnType<typeof twinStatus>) => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred(twinStatus())) {
    if (Date.now() > end) throw new Error(`twin status never matched: ${JSON.stringify(twinStatus())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let server: BootServer | undefined;

async function powerOnToDom0(expectIommu: boolean): Promise<SerialClient> {
  const con = await SerialClient.open();
  const t0 = Date.now();
  await gpio(twinGpio.relay, 1);
  const banner = await con.waitFor('BIOS version v4.19.0.1-twin', 30_000, t0);
  const typed = chainByHand(con, (server as BootServer).scriptUrl);
  const seabios = await con.waitFor('SeaBIOS (version', 30_000, t0);
  const ipxe = await con.waitFor(/iPXE .* -- Open Source Network Boot Firmware/, 60_000, t0);
  await typed;
  // Xen came over HTTP from the boot server: the twin has no other way (no TFTP).
  await con.waitFor(`${(server as BootServer).base}/xen`, 60_000, t0);
  const xen = await con.waitFor('(XEN) Xen version', 120_000, t0);
  if (expectIommu) {
    await con.waitFor('AMD-Vi: IOMMU 0 Enabled.', 60_000, t0);
    await con.waitFor('I/O virtualisation enabled', 60_000, t0);
  } else {
    await con.waitFor('I/O virtualisation disabled', 60_000, t0);
    assert.doesNotMatch(con.text, /AMD-Vi: IOMMU 0 Enabled/);
  }
  const dom0 = await con.waitFor('iommu-lab: dom0 ready', 240_000, t0);
  console.log(
    `      power-on→banner ${banner} ms, →SeaBIOS ${seabios} ms, →iPXE ${ipxe} ms, →Xen ${xen} ms, →dom0 ready ${dom0} ms`,
  );
  assert.equal(/ACPI: {4}\* IVRS/.test(con.text), expectIommu);
  return con;
}

describe('twin end to end (RTE API, TCP console, iPXE shell + HTTP chain, Xen, dom0 over SSH)', function () {
  this.timeout(900_000);
  let saved: string | undefined;
  let lock: Awaited<ReturnType<typeof holdTwinBench>> | undefined;

  before(async function () {
    const images = await ensureTwinImages().catch(() => undefined);
    if (!images) this.skip(); // run `iommu-lab twin setup` first
    lock = await holdTwinBench();
    if (existsSync(twinPaths.flashImage)) {
      saved = join(mkdtempSync(join(tmpdir(), 'twin-e2e-')), 'flash.rom');
      copyFileSync(twinPaths.flashImage, saved);
    }
    await twinDown().catch(() => {});
    await buildTwinFirmware({ out: twinPaths.flashImage, iommu: true, pxe: true });
    await twinUpWhenFree();
    server = await startTwinBootServer();
  });

  after(async () => {
    await server?.close();
    await gpio(twinGpio.relay, 0).catch(() => {});
    await twinDown().catch(() => {});
    assert.equal(ourQemu(), false, 'twin down left QEMU running');
    if (saved) {
      copyFileSync(saved, twinPaths.flashImage);
      rmSync(join(saved, '..'), { recursive: true, force: true });
    } else await buildTwinFirmware({ out: twinPaths.flashImage, iommu: true, pxe: true });
    await lock?.release();
  });

  it('iommu1 image: banner, SeaBIOS, iPXE, Xen with AMD-Vi enabled, dom0 answers `xl info` over SSH', async () => {
    const con = await powerOnToDom0(true);
    const info = await ssh(twinPorts.dom0Ssh, 'xl info');
    assert.equal(info.code, 0, info.out);
    assert.match(info.out, /virt_caps\s*:.*hvm_directio/);
    con.close();
  });

  // pcengines/coreboot menu.ipxe through SeaBIOS's serial console, as on an apu2 (docs/real-bench.md):
  // no Ctrl-B line ever (the old ipxe-shell entry waited for it), and a lone ESC cancels `choose`,
  // which ends the script (`choose … && goto` fails, and iPXE stops a script at a failed line):
  // iPXE returns to SeaBIOS, which boots on down its list. The arrow must be one write.
  it("PC Engines' iPXE: the embedded menu, never the Ctrl-B line; a lone ESC leaves iPXE without a shell", async () => {
    await gpio(twinGpio.relay, 0);
    await waitStatus((s) => s.board === 'off', 15_000);
    const con = await SerialClient.open();
    const t0 = Date.now();
    await gpio(twinGpio.relay, 1);
    let at = (await con.waitForAt('N for PXE boot', 30_000, t0)).end;
    con.send('n');
    at = (await con.waitForAt(MENU_ITEM, 60_000, t0, at)).end;
    assert.match(con.text, /-{16} iPXE boot menu -{16}/);
    assert.match(con.text, /ipxe shell/);
    // What sendSlowly did at 500 ms a character: ESC, then '[' and 'A' too late to be its sequence.
    con.send('\x1b');
    await new Promise((r) => setTimeout(r, 1_500));
    con.send('[A');
    at = (await con.waitForAt(/No bootable device/, 60_000, t0, at)).end;
    assert.doesNotMatch(con.text, /iPXE>/);
    assert.doesNotMatch(con.text, /Press Ctrl-B for the/);
    con.close();
  });

  it('power off through the relay stops QEMU', async () => {
    assert.equal(ourQemu(), true);
    await gpio(twinGpio.relay, 0);
    await waitStatus((s) => s.board === 'off', 15_000);
    assert.equal(ourQemu(), false);
  });

  it('an --iommu off image flashed over the controller boots to dom0 with "I/O virtualisation disabled"', async () => {
    const image = join(tmpdir(), `twin-e2e-iommu-off-${process.pid}.rom`);
    await buildTwinFirmware({ out: image, iommu: false, pxe: true });
    // S5 as PC Engines describe it: power comes with the power button held, the board stays off
    // and the chip sits on the standby rail (no SPI mux on the twin: RTE v1.0 wiring).
    await gpio(twinGpio.power, 1);
    await gpio(twinGpio.relay, 1);
    await gpio(twinGpio.power, 0);
    await waitStatus((s) => s.board === 's5' && s.chip === 'reachable', 15_000);
    const up = await scp(twinPorts.controllerSsh, image, '/tmp/twin-e2e.rom');
    assert.equal(up.code, 0, up.out);
    const w = await ssh(twinPorts.controllerSsh, `flashrom -p ${RTE_SPI} -c ${CHIP} -w /tmp/twin-e2e.rom`);
    assert.equal(w.code, 0, w.out);
    await gpio(twinGpio.relay, 0);
    await waitStatus((s) => s.board === 'off', 15_000);
    assert.deepEqual(readFileSync(twinPaths.flashImage), readFileSync(image));
    rmSync(image);
    const con = await powerOnToDom0(false);
    const info = await ssh(twinPorts.dom0Ssh, 'xl info');
    assert.doesNotMatch(info.out, /hvm_directio/);
    con.close();
    await gpio(twinGpio.relay, 0);
    await waitStatus((s) => s.board === 'off', 15_000);
  });

  it('a --corrupt image: no console output at all, no QEMU', async () => {
    await buildTwinFirmware({ out: twinPaths.flashImage, corrupt: true });
    const con = await SerialClient.open();
    await gpio(twinGpio.relay, 1);
    await new Promise((r) => setTimeout(r, 15_000));
    assert.equal(con.text, '');
    assert.equal(twinStatus().board, 'dead');
    assert.equal(ourQemu(), false);
    con.close();
    await gpio(twinGpio.relay, 0);
  });
});
