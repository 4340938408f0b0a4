// The variable stores of test/fixtures/uefi-varstore (see its README: Debian's OVMF templates,
// coreboot smmstoretool's output), gunzipped.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const DIR = new URL('../fixtures/uefi-varstore/', import.meta.url);

export type VarStoreFixture =
  | 'OVMF_VARS.fd'
  | 'OVMF_VARS.ms.fd'
  | 'smmstore-networkboot-true.bin'
  | 'smmstore-networkboot-false.bin';

export function varStoreFixture(name: VarStoreFixture): Buffer {
  return gunzipSync(readFileSync(new URL(`${name}.gz`, DIR)));
}

/** `smmstoretool OVMF_VARS.ms.fd list`: [guid without dashes, name, data size]. */
export function smmstoretoolList(): [string, string, number][] {
  return readFileSync(new URL('OVMF_VARS.ms.fd.smmstoretool-list.txt', DIR), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^(\S+)\s*:(.+) \((\d+) bytes?\)$/.exec(line);
      if (!m) throw new Error(`unexpected smmstoretool list line: ${line}`);
      return [m[1]!.replace(/-/g, ''), m[2]!, Number(m[3])];
    });
}
