// `xl list`:
//   Name                                        ID   Mem VCPUs      State   Time(s)
//   Domain-0                                     0   512     4     r-----     448.3
// Lines that do not fit (headers, console noise) are skipped.

export interface XlDomain {
  name: string;
  id: number;
  memMiB: number;
  vcpus: number;
  state: string;
  timeS: number;
}

const ROW = /^(\S(?:.*\S)?)\s+(\d+)\s+(\d+)\s+(\d+)\s+([-rbpscd]{6})\s+(\d+(?:\.\d+)?)$/;

export function parseXlList(text: string): XlDomain[] {
  const out: XlDomain[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = ROW.exec(raw.trim());
    if (!m) continue;
    out.push({ name: m[1], id: +m[2], memMiB: +m[3], vcpus: +m[4], state: m[5], timeS: +m[6] });
  }
  return out;
}
