// SHA-256 of images and the sidecar files PC Engines and Dasharo publish next to a release
// (`apu2_v4.19.0.1.SHA256`, `coreboot.rom.sha256`): lines of "<hex>  <file name>".
import { createHash } from 'node:crypto';
import { FlashRefused } from './errors.ts';

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function normalizeSha256(value: string, what: string): string {
  const hex = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new FlashRefused('REFUSED_CHECKSUM_FORMAT', `${what} is not a SHA-256 (64 hex digits)`);
  return hex;
}

/** The digest for `fileName` in a sidecar; a single bare digest counts for any name. */
export function parseSidecar(text: string, fileName: string, what: string): string {
  const entries = text
    .split(/\r?\n/)
    .map((l) => /^([0-9a-fA-F]{64})(?:\s+\*?(.+))?$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ hex: m[1]!.toLowerCase(), name: m[2]?.trim().replace(/^.*\//, '') }));
  const named = entries.find((e) => e.name === fileName);
  if (named) return named.hex;
  if (entries.length === 1) return entries[0]!.hex;
  throw new FlashRefused(
    'REFUSED_CHECKSUM_FORMAT',
    entries.length
      ? `${what} lists no digest for ${fileName} (it names ${entries.map((e) => e.name ?? '?').join(', ')})`
      : `${what} holds no SHA-256 line`,
  );
}

/** Where a sidecar may sit next to `base` (a URL or path): x.rom.sha256, x.rom.SHA256, x.SHA256, x.sha256. */
export function sidecarCandidates(base: string): string[] {
  const stem = base.replace(/\.(rom|bin)$/i, '');
  const out = [`${base}.sha256`, `${base}.SHA256`];
  if (stem !== base) out.push(`${stem}.SHA256`, `${stem}.sha256`);
  return out;
}
