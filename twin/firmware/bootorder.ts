// PC Engines' `bootorder` file: SeaBIOS boot paths, then one setting per line (`pxen1`,
// `iommu0`, ...), padded to 4096 bytes. Layout follows pcengines/coreboot
// src/mainboard/pcengines/apu2/bootorder*; the twin only acts on pxen and iommu.
// Written independently of lib/firmware (on purpose): the twin's firmware is the oracle the
// flasher's knob editing is tested against, so it must not share that code.

export const BOOTORDER_SIZE = 4096;

export interface BootorderSettings {
  pxe: boolean;
  iommu: boolean;
}

/** The apu2's boot paths (USB, SD, SATA, mPCIe, then the first NIC). */
const BOOT_PATHS = [
  '/pci@i0cf8/usb@10/usb-*@1',
  '/pci@i0cf8/usb@10/usb-*@2',
  '/pci@i0cf8/usb@10/usb-*@3',
  '/pci@i0cf8/usb@10/usb-*@4',
  '/pci@i0cf8/*@14,7',
  '/pci@i0cf8/*@11/drive@0/disk@0',
  '/pci@i0cf8/*@11/drive@1/disk@0',
  '/pci@i0cf8/pci-bridge@2,5/*@0/drive@0/disk@0',
  '/pci@i0cf8/pci-bridge@2,5/*@0/drive@1/disk@0',
  '/pci@i0cf8/pci-bridge@2,2/*@0',
];

export function buildBootorder(s: BootorderSettings): Buffer {
  const lines = [
    ...BOOT_PATHS,
    `pxen${s.pxe ? 1 : 0}`,
    'scon1',
    'usben1',
    'uartc0',
    'uartd0',
    'ehcien0',
    'mpcie2_clk0',
    'com2_en0',
    'boosten1',
    'sd3mode0',
    `iommu${s.iommu ? 1 : 0}`,
    'pciereverse0',
    'watchdog0000',
  ];
  const text = Buffer.from(`${lines.join('\n')}\n`, 'ascii');
  // Padded like PC Engines' builds so the file can be rewritten in place (sortbootorder).
  const out = Buffer.alloc(BOOTORDER_SIZE, 0xff);
  text.copy(out);
  return out;
}

/** Reads the settings back; a missing key means the option is off (coreboot's default). */
export function parseBootorder(bytes: Buffer): BootorderSettings & { paths: string[] } {
  const end = bytes.indexOf(0xff);
  const text = bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const flag = (name: string) => lines.some((l) => l === `${name}1`);
  return { pxe: flag('pxen'), iommu: flag('iommu'), paths: lines.filter((l) => l.startsWith('/')) };
}
