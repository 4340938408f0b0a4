// The twin's SMMSTORE region, in the very format the flasher edits before a real flash
// (lib/uefi: edk2's firmware volume + variable store, as coreboot's smmstoretool writes it), so a
// NetworkBoot set by `flash --settings pxe=on` is what the twin's board sees. Only the twin's two
// uses live here: the builder's region, and the board's reading of it.
import { networkBootIn, networkBootVariable } from '../../lib/uefi/dasharo.ts';
import { VarStoreError } from '../../lib/uefi/varstore.ts';
import { formatVarStore, setVariable } from '../../lib/uefi/varstore-write.ts';

/** A formatted store filling `size` bytes; NetworkBoot=1 (Dasharo's attributes) when asked. */
export function smmstoreRegion(size: number, networkBoot: boolean): Buffer {
  const store = formatVarStore(size);
  return networkBoot ? setVariable(store, networkBootVariable(true)).region : store;
}

/**
 * Whether the board's boot manager lists "iPXE Network Boot": only a live 1-byte NetworkBoot
 * that is non-zero. Absent (or an erased region) is PcdDefaultNetworkBootEnable, off on apu2;
 * a region that is no sane store is off too: edk2 reformats a corrupted store, losing the variable.
 */
export function networkBootEnabled(region: Buffer): boolean {
  try {
    return networkBootIn(region) === true;
  } catch (e) {
    if (e instanceof VarStoreError) return false;
    throw e;
  }
}
