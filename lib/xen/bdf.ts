// PCI addresses as Xen tools print and accept them: "02:00.0" or "0000:02:00.0".
// Everything that compares addresses uses the full lower-case form. The rig schema uses the same
// rule, so a rig that validates is one the runtime accepts.

export const BDF = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-1][0-9a-fA-F])\.([0-7])$/;

/** "2:0.0"-style short forms are refused: tools print two hex digits for bus and slot. */
export function isBdf(s: string): boolean {
  return BDF.test(s);
}

/** "02:00.0" → "0000:02:00.0"; null when it is not a BDF. */
export function normalizeBdf(s: string): string | null {
  const m = BDF.exec(s.trim());
  if (!m) return null;
  return `${(m[1] ?? '0000').toLowerCase()}:${m[2].toLowerCase()}:${m[3].toLowerCase()}.${m[4]}`;
}

/** libxl prints "0:2:0.0" (PCI_BDF with %x) in some messages; turn that into the full form. */
export function normalizeLooseBdf(s: string): string | null {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(s.trim());
  if (!m) return normalizeBdf(s);
  const hex = (v: string, w: number) => v.toLowerCase().padStart(w, '0');
  return `${hex(m[1], 4)}:${hex(m[2], 2)}:${hex(m[3], 2)}.${m[4]}`;
}
