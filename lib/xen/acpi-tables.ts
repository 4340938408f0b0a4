// The ACPI table list Xen prints at boot ("(XEN) ACPI: IVRS CFEADE80, 0108 (r1 CORE ...)").
// It tells whether firmware published an IVRS table, the table AMD-Vi needs. The answer is
// "no" only when the whole list was seen (a later non-table line follows it); a log cut
// inside the list, or without one, leaves it unknown.

const TABLE = /^ACPI: ([A-Z0-9_]{4}) +[0-9A-F]{8,16}, [0-9A-F]{4}/;

export interface AcpiTableList {
  tables: string[];
  complete: boolean;
  ivrs: boolean | null;
}

export function parseAcpiTableList(messages: string[]): AcpiTableList {
  const tables: string[] = [];
  let complete = false;
  let started = false;
  for (const m of messages) {
    const t = TABLE.exec(m) ?? /^ACPI: (RSDP) [0-9A-F]{8}/.exec(m);
    if (t) {
      started = true;
      if (!tables.includes(t[1])) tables.push(t[1]);
      continue;
    }
    if (started && m.trim() !== '') {
      complete = true;
      break;
    }
  }
  const ivrs = tables.includes('IVRS') ? true : started && complete ? false : null;
  return { tables, complete, ivrs };
}
