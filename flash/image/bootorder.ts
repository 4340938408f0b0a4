// PC Engines' runtime settings file `bootorder` (4096 bytes, one flash sector): SeaBIOS boot
// paths ("/pci@i0cf8/..."), then one line per knob: the knob's name followed by its value
// ("pxen0", "iommu1", "scon1", "watchdog0000"). The text ends at the first NUL or erased (0xFF)
// byte; the rest of the sector is filler. coreboot finds a knob by searching its name and reading
// the next character, sortbootorder rewrites the whole list (see pcengines/sortbootorder).

export const BOOTORDER_SIZE = 4096;

/** Knobs as sortbootorder names them (src/mainboard/pcengines/apu2/bootorder_def and sortbootorder.c). */
const KNOBS = [
  'pxen',
  'usben',
  'scon',
  'com2en',
  'uartc',
  'uartd',
  'ehcien',
  'mpcie2_clk',
  'boosten',
  'sd3mode',
  'iommu',
  'pciereverse',
  'watchdog',
] as const;

export interface Bootorder {
  paths: string[];
  /** Knob name → its raw value ("0", "1", "0000"). */
  settings: Record<string, string>;
  /** Length of the text part. */
  textLength: number;
}

function textEnd(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0 || bytes[i] === 0xff) return i;
  return bytes.length;
}

function splitKnob(line: string): [string, string] | undefined {
  const known = KNOBS.find((k) => line.startsWith(k) && /^[0-9a-f]+$/i.test(line.slice(k.length)));
  if (known) return [known, line.slice(known.length)];
  const m = /^([a-z][a-z0-9_]*?[a-z_])(\d+)$/.exec(line);
  return m ? [m[1]!, m[2]!] : undefined;
}

export function parseBootorder(bytes: Uint8Array): Bootorder {
  const len = textEnd(bytes);
  const text = Buffer.from(bytes.subarray(0, len)).toString('latin1');
  const paths: string[] = [];
  const settings: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('/')) {
      paths.push(line);
      continue;
    }
    const kv = splitKnob(line);
    if (kv) settings[kv[0]] = kv[1];
  }
  return { paths, settings, textLength: len };
}

/** Looks like a bootorder file at all (guards against editing random bytes). */
export function isBootorder(bytes: Uint8Array): boolean {
  const b = parseBootorder(bytes);
  return b.textLength > 0 && (b.paths.length > 0 || Object.keys(b.settings).length > 0);
}

export interface BootorderEdit {
  bytes: Buffer;
  changed: { knob: string; from: string | undefined; to: string }[];
}

/**
 * Sets knobs to the given values, in place: an existing line keeps its position, a missing knob
 * is appended after the last line. The result has the same size; throws if the text would
 * no longer fit in the sector.
 */
export function setKnobs(bytes: Uint8Array, wanted: Record<string, string>): BootorderEdit {
  const len = textEnd(bytes);
  const lines = Buffer.from(bytes.subarray(0, len)).toString('latin1').split('\n');
  const trailingNewline = lines.at(-1) === '';
  if (trailingNewline) lines.pop();
  const changed: BootorderEdit['changed'] = [];
  for (const [knob, value] of Object.entries(wanted)) {
    const i = lines.findIndex((l) => splitKnob(l.trim())?.[0] === knob);
    const from = i >= 0 ? splitKnob(lines[i]!.trim())![1] : undefined;
    if (from === value) continue;
    if (i >= 0) lines[i] = knob + value;
    else lines.push(knob + value);
    changed.push({ knob, from, to: value });
  }
  const out = Buffer.from(bytes);
  if (!changed.length) return { bytes: out, changed };
  const text = Buffer.from(lines.join('\n') + '\n', 'latin1');
  if (text.length >= out.length)
    throw new Error(`bootorder text (${text.length} bytes) no longer fits its ${out.length} bytes`);
  text.copy(out, 0);
  // Whatever ended the text before (NUL or erased flash) ends it again; bytes we freed become filler.
  const terminator = len < bytes.length ? bytes[len]! : 0;
  out.fill(terminator, text.length, Math.min(out.length, Math.max(len, text.length) + 1));
  return { bytes: out, changed };
}
