// xl.cfg builder for the PV and HVM test guests. Every value is written as a double-quoted
// string with the escapes libxlu's lexer understands (tools/libxl/libxlu_cfg_l.l and
// xlu__cfgl_dequote: \" \' \\ \n \r \t \xHH), so a quote or newline in a rig value cannot end
// the string or start a new setting. Input that could never be right is refused.
import { UsageError } from '../core/errors.ts';
import { isBdf } from './bdf.ts';

type XlValue = string | number | boolean | string[];

export interface XlCfgSpec {
  name: string;
  type: 'pv' | 'hvm';
  memoryMiB: number;
  vcpus: number;
  /** PV: kernel image, initramfs and kernel command line (paths in dom0). */
  kernel?: string;
  ramdisk?: string;
  extra?: string;
  /** HVM direct kernel boot (qemu-xen loads kernel/ramdisk): the kernel command line. */
  cmdline?: string;
  /** Disk specs as xl-disk-configuration(5) strings, e.g. "/dev/vg0/g,raw,xvda,rw". */
  disks?: string[];
  /** Passthrough devices: "02:00.0", "0000:02:00.0", optionally ",permissive=1" etc. */
  pci?: string[];
  /** Network interfaces as xl-network-configuration(5) strings, e.g. "bridge=xenbr0". */
  vifs?: string[];
  /** HVM: VNC console (off by default) and the emulated serial port (default "pty"). */
  vnc?: boolean;
  serial?: string;
  boot?: string;
  /** e.g. "native": needed for HVM under TCG (no RDTSCP emulation), see docs/twin.md. */
  tscMode?: 'default' | 'always_emulate' | 'native' | 'native_paravirt';
  /** e.g. "host,rdtscp=0". */
  cpuid?: string;
  /** Any further settings; keys must be xl.cfg identifiers. */
  settings?: Record<string, XlValue>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KEY = /^[a-z][a-z0-9_]*$/;
const PCI_OPTS = /^(?:,[a-z_]+=[A-Za-z0-9_]+)*$/;

function fail(msg: string): never {
  throw new UsageError(`xl.cfg: ${msg}`);
}

/** One xl.cfg string literal. */
export function xlQuote(value: string): string {
  if (value.includes('\0')) fail('a value contains a NUL byte');
  const body = value.replace(/[\\"\n\r\t]|[\x00-\x1f\x7f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `"${body}"`;
}

function render(key: string, v: XlValue): string {
  if (!KEY.test(key)) fail(`invalid setting name ${JSON.stringify(key)}`);
  if (Array.isArray(v)) return `${key} = [ ${v.map(xlQuote).join(', ')} ]`;
  if (typeof v === 'boolean') return `${key} = ${v ? 1 : 0}`;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) fail(`${key} must be a non-negative integer, got ${v}`);
    return `${key} = ${v}`;
  }
  return `${key} = ${xlQuote(v)}`;
}

function checkPci(entry: string): void {
  const [addr, ...rest] = entry.split(/(?=,)/);
  const bdf = addr.replace(/@[0-9a-fA-F]{1,2}$/, '');
  if (!isBdf(bdf) || !PCI_OPTS.test(rest.join('')))
    fail(`invalid PCI device ${JSON.stringify(entry)} (want e.g. 02:00.0)`);
}

export function buildXlCfg(spec: XlCfgSpec): string {
  if (!NAME.test(spec.name ?? '') || /^\d+$/.test(spec.name)) {
    fail(`invalid guest name ${JSON.stringify(spec.name)}: letters, digits, "_.-", not all digits`);
  }
  if (!Number.isSafeInteger(spec.memoryMiB) || spec.memoryMiB < 16)
    fail(`memory must be >= 16 MiB, got ${spec.memoryMiB}`);
  if (!Number.isSafeInteger(spec.vcpus) || spec.vcpus < 1) fail(`vcpus must be >= 1, got ${spec.vcpus}`);
  for (const p of spec.pci ?? []) checkPci(p);
  const s: [string, XlValue][] = [
    ['name', spec.name],
    ['memory', spec.memoryMiB],
    ['vcpus', spec.vcpus],
  ];
  if (spec.type === 'pv') {
    if (!spec.kernel && spec.settings?.bootloader === undefined) fail('a PV guest needs a kernel (or a bootloader)');
    if (spec.kernel) s.push(['kernel', spec.kernel]);
    if (spec.ramdisk) s.push(['ramdisk', spec.ramdisk]);
    if (spec.extra) s.push(['extra', spec.extra]);
  } else if (spec.type === 'hvm') {
    // "builder" is understood from Xen 4.8 to 4.17 (4.10+ also knows type = "hvm").
    s.push(['builder', 'hvm'], ['vnc', spec.vnc ?? false], ['serial', spec.serial ?? 'pty']);
    if (spec.boot) s.push(['boot', spec.boot]);
    // Direct boot: the device model loads the kernel, no disk or bootloader in the guest.
    if (spec.kernel) s.push(['kernel', spec.kernel]);
    if (spec.ramdisk) s.push(['ramdisk', spec.ramdisk]);
    if (spec.cmdline) s.push(['cmdline', spec.cmdline]);
    if ((spec.ramdisk || spec.cmdline) && !spec.kernel) fail('an HVM ramdisk or cmdline needs a kernel');
  } else {
    fail(`guest type must be "pv" or "hvm", got ${JSON.stringify(spec.type)}`);
  }
  if (spec.disks?.length) s.push(['disk', spec.disks]);
  if (spec.vifs?.length) s.push(['vif', spec.vifs]);
  if (spec.pci?.length) s.push(['pci', spec.pci]);
  if (spec.tscMode) s.push(['tsc_mode', spec.tscMode]);
  if (spec.cpuid) s.push(['cpuid', spec.cpuid]);
  for (const [k, v] of Object.entries(spec.settings ?? {})) {
    if (s.some(([have]) => have === k)) fail(`setting ${k} given twice`);
    s.push([k, v]);
  }
  return `${s.map(([k, v]) => render(k, v)).join('\n')}\n`;
}
