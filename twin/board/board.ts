// The emulated apu2: what happens between the relay closing and SeaBIOS running. At every
// power-on it reads the flash chip like coreboot would (a bad image = a silent brick), prints
// the banner, offers the PXE key (pxen1) and starts QEMU with the payload from CBFS.
//
// Design: QEMU's NIC ROM and AMD IOMMU are fixed when the machine is built, so the board
// decides them before starting QEMU: the "N for PXE boot" prompt waits promptMs for 'n'/'N' on
// the serial line; pressed → NIC0 gets CBFS's iPXE ROM with bootindex=1 (network boot); not
// pressed → no NIC ROM at all, so SeaBIOS finds nothing bootable, as on a diskless apu2.
// A guest reset (reboot, Xen panic) makes QEMU exit (-no-reboot) and the board boots again
// from the flash, as a real board re-runs coreboot.
//
// Power states, as an apu2 has them: G3 = relay open ('off'); power applied = the board starts by
// itself (an apu2 has no "stay off after AC loss": PC Engines keep it in S5 only by holding the
// power button while power comes, pcengines/apu2-documentation docs/apu_flashing_with_rpi.md
// "connect pins 2 and 3 on J2 header before turning power on"); S5 = powered, soft-off ('s5'):
// reached by holding the power button >= 4 s while on (the chipset's override; 3mdeb holds it
// 6 s, Dasharo/osfv-scripts rte.py `power_off(6)`), by a guest power-off, or by power coming
// while the button is held. A press in S5 starts the board (osfv rte.py `power_on`: 1 s press).
// Only in S5 does the flash chip sit on the standby rail with the chipset off the SPI bus: that is
// when the bench's programmer may reach it (twin/daemon/bench.ts).
import { EventEmitter } from 'node:events';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareReading } from '../firmware/read.ts';
import { readTwinFirmware } from '../firmware/read.ts';
import { bootPrompt, coreboot, signOn } from './banner.ts';
import { IPXE_CTRL_B_LINE, LineDropper } from './drop-line.ts';
import { type BootChoice, bootEntries, EDK2_PROMPT_MS, Edk2Front, KeyDecoder } from './edk2-front.ts';
import { plugAfterEnumeration } from './late-plug.ts';
import { lateNics, qemuArgs } from './qemu-args.ts';
import { type QemuRun, startQemu } from './qemu-process.ts';

/** One page is what the oracles read; a little more leaves room, far less than a memory dump. */
export const MAX_PHYSICAL_READ = 64 * 1024;

export type BoardState = 'off' | 's5' | 'firmware' | 'running' | 'halted' | 'dead';

/** How long the power button must be held before the board is forced into S5 (ACPI override). */
export const POWER_BUTTON_OVERRIDE_MS = 4000;

export interface BoardOptions {
  flashImage: string;
  runDir: string;
  memoryMiB?: number;
  smp?: number;
  accel?: 'tcg' | 'kvm';
  /** Default BOOT_MENU_WAIT_MS. */
  promptMs?: number;
  ports?: { dom0Ssh: number; guestSsh: number };
}

/** How long PC Engines' SeaBIOS waits at its prompt: SeaBIOS's `etc/boot-menu-wait`, 0x1770 = 6000 ms (pcengines/coreboot v4.14.0.2 src/mainboard/pcengines/apu2/boot-menu-wait). */
export const BOOT_MENU_WAIT_MS = 6000;

export class TwinBoard extends EventEmitter<{ output: [Buffer]; state: [BoardState]; log: [string] }> {
  private relay = false;
  private resetHeld = false;
  private buttonHeld = false;
  private softOff = false;
  private overrideTimer?: NodeJS.Timeout;
  private flashDisconnected = false;
  private gen = 0;
  private qemu?: QemuRun;
  private current: BoardState = 'off';
  private keyWaiter?: (pressed: boolean) => void;
  /** Dasharo UEFI's prompt and menu, while the board shows them. */
  private edk2Keys?: KeyDecoder;
  private edk2Cancel?: () => void;
  private quickExits: number[] = [];
  private reads = 0;

  constructor(private readonly o: BoardOptions) {
    super();
  }

  get state(): BoardState {
    return this.current;
  }
  get powered(): boolean {
    return this.relay;
  }
  /** Powered and soft-off: the flash chip on the standby rail, the chipset off the SPI bus. */
  get inS5(): boolean {
    return this.relay && this.softOff;
  }

  async powerOn(): Promise<void> {
    if (this.relay) return;
    this.relay = true;
    this.quickExits = [];
    if (this.buttonHeld) {
      this.softOff = true;
      this.setState('s5');
    } else if (!this.resetHeld) void this.boot(++this.gen);
  }

  async powerOff(): Promise<void> {
    this.relay = false;
    this.softOff = false;
    await this.halt('off');
  }

  /**
   * The power button (RTE apu_pwr): a press in S5 starts the board; held >= 4 s while the board
   * is on it forces S5. Without power (G3) it does nothing.
   */
  async setPowerButton(held: boolean): Promise<void> {
    if (held === this.buttonHeld) return;
    this.buttonHeld = held;
    clearTimeout(this.overrideTimer);
    this.overrideTimer = undefined;
    if (!held || !this.relay) return;
    if (this.softOff) {
      this.emit('log', 'power button pressed in S5: board starts');
      this.softOff = false;
      if (!this.resetHeld) void this.boot(++this.gen);
    }
    this.overrideTimer = setTimeout(() => {
      this.overrideTimer = undefined;
      if (!this.buttonHeld || !this.relay || this.softOff) return;
      this.emit('log', `power button held ${POWER_BUTTON_OVERRIDE_MS} ms: forced to S5`);
      this.softOff = true;
      void this.halt('s5');
    }, POWER_BUTTON_OVERRIDE_MS);
    this.overrideTimer.unref();
  }

  /** Reset line held low: the board stops; released: it boots again if powered (not from S5). */
  async setReset(held: boolean): Promise<void> {
    if (held === this.resetHeld) return;
    this.resetHeld = held;
    if (this.softOff) return;
    if (held) await this.halt(this.relay ? 'dead' : 'off');
    else if (this.relay) void this.boot(++this.gen);
  }

  /** SPI lines switched to the programmer: the chipset cannot fetch the firmware. */
  setFlashDisconnected(v: boolean): void {
    this.flashDisconnected = v;
  }

  /** Bytes typed on the serial console. */
  input(data: Buffer): void {
    if (this.keyWaiter && /[nN]/.test(data.toString('latin1'))) this.keyWaiter(true);
    this.edk2Keys?.feed(data);
    if (this.current === 'running' && this.qemu && !this.qemu.serial.destroyed) this.qemu.serial.write(data);
  }

  async close(): Promise<void> {
    clearTimeout(this.overrideTimer);
    await this.powerOff();
  }

  /** Freezes the running machine (QMP `stop`): a hung board, silent, its relay still on. */
  async freeze(): Promise<boolean> {
    const q = this.qemu;
    if (this.current !== 'running' || !q) return false;
    await q.qmp.execute('stop');
    return true;
  }

  /**
   * The board's physical memory as QEMU holds it (QMP `pmemsave`): an observer outside the board,
   * for oracles that must not trust dom0's own account. Under Xen these are machine addresses.
   */
  async readPhysical(address: bigint, length: number): Promise<Buffer> {
    const q = this.qemu;
    if (this.current !== 'running' || !q) throw new Error('the board is not running');
    if (address < 0n || address > BigInt(Number.MAX_SAFE_INTEGER) || length < 1 || length > MAX_PHYSICAL_READ)
      throw new Error(`no physical read of ${length} bytes at 0x${address.toString(16)}`);
    const file = join(this.o.runDir, `pmem-${process.pid}-${++this.reads}.bin`);
    try {
      await q.qmp.execute('pmemsave', { val: Number(address), size: length, filename: file });
      return await readFile(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  private setState(s: BoardState): void {
    if (s === this.current) return;
    this.current = s;
    this.emit('state', s);
  }

  private async halt(s: BoardState): Promise<void> {
    this.gen++;
    this.keyWaiter?.(false);
    this.edk2Cancel?.();
    const q = this.qemu;
    this.qemu = undefined;
    if (q) await q.stop();
    this.setState(s);
  }

  private async boot(gen: number): Promise<void> {
    const live = () => gen === this.gen;
    try {
      this.setState('firmware');
      if (this.flashDisconnected) return this.brick('SPI lines switched to the programmer: no firmware fetched');
      const fw = await readTwinFirmware(this.o.flashImage, join(this.o.runDir, 'cbfs'));
      if (!live()) return;
      if (!fw.valid) return this.brick(`flash image is not valid firmware: ${fw.reason}`);
      const memoryMiB = this.o.memoryMiB ?? 3072;
      const info = { ...fw, iommu: fw.settings.iommu, memoryMiB };
      const uefi = fw.uefi !== undefined;
      this.emit(
        'log',
        `firmware ${fw.version} (${uefi ? 'dasharo-uefi' : fw.layout}) iommu=${fw.settings.iommu} ${uefi ? 'NetworkBoot' : 'pxe'}=${fw.settings.pxe} pci=${fw.pciLayout}`,
      );
      let network: boolean;
      if (uefi) {
        // Dasharo UEFI prints no coreboot banner or sign-on (log level 1, no print_sign_of_life).
        const choice = await this.edk2Choice(fw.settings.pxe);
        if (!live() || !choice) return;
        network = choice === 'ipxe';
      } else {
        this.out(coreboot(info));
        this.out(signOn(info));
        this.out(bootPrompt(fw.settings.pxe));
        network =
          fw.settings.pxe && (fw.pxeRom || fw.ipxeMenu)
            ? await this.waitForKey(this.o.promptMs ?? BOOT_MENU_WAIT_MS)
            : false;
        if (!live()) return;
        if (network) this.emit('log', 'N pressed: network boot');
      }
      const sockets = { qmp: join(this.o.runDir, 'qmp.sock'), serial: join(this.o.runDir, 'serial.sock') };
      await mkdir(this.o.runDir, { recursive: true });
      const ipxeMenu =
        network && fw.ipxeMenu ? { ...fw.ipxeMenu, serconPort: await serconPortFile(this.o.runDir) } : undefined;
      const args = qemuArgs({
        ipxeMenu,
        payload: fw.payload,
        iommu: fw.settings.iommu,
        pxeRom: network ? fw.pxeRom : undefined,
        qmpSocket: sockets.qmp,
        serialSocket: sockets.serial,
        memoryMiB,
        smp: this.o.smp ?? 2,
        accel: this.o.accel ?? 'tcg',
        ports: this.o.ports,
        pciLayout: fw.pciLayout,
        uefi: fw.uefi ? await uefiMachine(this.o.runDir, fw, network) : undefined,
      });
      const q = await startQemu(args, sockets, join(this.o.runDir, 'qemu.log'));
      if (!live()) return void (await q.stop());
      this.qemu = q;
      // Dasharo UEFI's iPXE never offers Ctrl-B; the twin's stand-in does, and the line is dropped.
      const dropper = fw.uefi && network ? new LineDropper(IPXE_CTRL_B_LINE, (b) => this.emit('output', b)) : undefined;
      q.serial.on('data', (d: Buffer) => (dropper ? dropper.push(d) : this.emit('output', d)));
      void q.exited.then((reason) => this.onExit(gen, q, reason));
      await q.qmp.execute('cont');
      this.setState('running');
      const late = lateNics({ pciLayout: fw.pciLayout });
      if (late.length) void this.plugLate(q, late, live);
    } catch (e) {
      this.emit('log', `boot failed: ${(e as Error).message}`);
      if (live()) this.setState('dead');
    }
  }

  private onExit(gen: number, q: QemuRun, reason: string | undefined): void {
    if (gen !== this.gen || this.qemu !== q) return;
    this.qemu = undefined;
    this.emit('log', `QEMU exited (${reason ?? 'no reason'})`);
    const now = Date.now();
    this.quickExits = [...this.quickExits.filter((t) => now - t < 30_000), now];
    // A reset re-runs coreboot; a crash loop is left halted rather than spinning the CPU.
    if (this.relay && reason === 'guest-reset' && this.quickExits.length < 5) void this.boot(++this.gen);
    else if (this.relay && reason === 'guest-shutdown') {
      // An OS power-off (ACPI S5) leaves an apu2 powered and soft-off, as the button does.
      this.softOff = true;
      this.setState('s5');
    } else this.setState('halted');
  }

  private async plugLate(q: QemuRun, devices: Record<string, string>[], live: () => boolean): Promise<void> {
    try {
      const r = await plugAfterEnumeration(q.qmp, devices, { alive: () => live() && this.qemu === q });
      const ids = devices.map((d) => d.id).join(', ');
      this.emit(
        'log',
        `${ids} plugged ${r.numbered ? 'after bus enumeration' : 'unnumbered (timeout)'} +${r.waitedMs} ms`,
      );
    } catch (e) {
      if (live()) this.emit('log', `late plug failed: ${(e as Error).message}`);
    }
  }

  private brick(why: string): void {
    this.emit('log', `board does not start: ${why}`);
    this.setState('dead');
  }

  private out(text: string): void {
    this.emit('output', Buffer.from(text, 'latin1'));
  }

  /**
   * Dasharo UEFI's prompt (6 s) and F10 menu (edk2-front.ts); resolves with the boot option, or
   * undefined when the board went down meanwhile.
   */
  private edk2Choice(networkBoot: boolean): Promise<BootChoice | undefined> {
    return new Promise((resolve) => {
      const finish = (c: BootChoice | undefined, why?: string) => {
        clearTimeout(timer);
        this.edk2Keys?.close();
        this.edk2Keys = undefined;
        this.edk2Cancel = undefined;
        if (c) this.emit('log', `boot option ${why}`);
        resolve(c);
      };
      const front = new Edk2Front(
        bootEntries(networkBoot),
        (t) => this.out(t),
        (c, why) => finish(c, why),
      );
      const timer = setTimeout(() => front.timeout(), this.o.promptMs ?? EDK2_PROMPT_MS);
      this.edk2Keys = new KeyDecoder((k) => front.key(k));
      this.edk2Cancel = () => finish(undefined);
      front.start();
    });
  }

  private waitForKey(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      const done = (pressed: boolean) => {
        clearTimeout(timer);
        this.keyWaiter = undefined;
        resolve(pressed);
      };
      this.keyWaiter = done;
    });
  }
}

/** fw_cfg `etc/sercon-port`: SeaBIOS reads it as a little-endian integer (0x3f8, COM1). */
async function serconPortFile(dir: string): Promise<string> {
  const f = join(dir, 'sercon-port');
  const b = Buffer.alloc(2);
  b.writeUInt16LE(0x3f8);
  await writeFile(f, b);
  return f;
}

/** Debian's OVMF variable template: a fresh copy at every power-on (docs/twin.md). */
export const OVMF_VARS_TEMPLATE = '/usr/share/OVMF/OVMF_VARS.fd';
/** The name QEMU's DHCP gives as boot file; Dasharo's iPXE embeds the script instead. */
const UEFI_SCRIPT_NAME = 'dasharo.ipxe';

async function uefiMachine(
  runDir: string,
  fw: Extract<FirmwareReading, { valid: true }>,
  network: boolean,
): Promise<NonNullable<Parameters<typeof qemuArgs>[0]['uefi']>> {
  const vars = join(runDir, 'ovmf-vars.fd');
  await copyFile(OVMF_VARS_TEMPLATE, vars);
  const [y, m, d] = fw.date.split('-');
  const smbios = {
    // Dasharo/coreboot src/vendorcode/dasharo/Kconfig BIOS_VENDOR "3mdeb"; smbios.c
    // smbios_mainboard_bios_version(); the date is build.h's COREBOOT_DMI_DATE.
    vendor: '3mdeb',
    version: `Dasharo (coreboot+UEFI) ${fw.version}`,
    date: `${m}/${d}/${y}`,
    manufacturer: fw.vendor,
    product: fw.board,
  };
  if (!network || !fw.uefi) return { vars, smbios };
  const tftpDir = join(runDir, 'uefi-tftp');
  await rm(tftpDir, { recursive: true, force: true });
  await mkdir(tftpDir, { recursive: true });
  await copyFile(fw.uefi.script, join(tftpDir, UEFI_SCRIPT_NAME));
  return { vars, smbios, network: { efiRom: fw.uefi.efiRom, tftpDir, bootfile: UEFI_SCRIPT_NAME } };
}
