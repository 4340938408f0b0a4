// `xl info`: "key : value" lines. Xen 4.8 prints "virt_caps : hvm hvm_directio" and
// xen_major/minor/extra; newer Xen adds pv/pv_directio/hap/shadow caps and xen_version.
import { cleanLine } from '../core/text.ts';

export interface XlInfo {
  fields: Record<string, string>;
  xenVersion: string | null;
  virtCaps: string[];
  hvm: boolean | null;
  /** Passthrough to HVM guests is possible: the hypervisor has a working IOMMU. */
  hvmDirectio: boolean | null;
  pvDirectio: boolean | null;
  nrCpus: number | null;
  totalMemoryMiB: number | null;
  freeMemoryMiB: number | null;
  commandLine: string | null;
}

function num(v: string | undefined): number | null {
  if (v === undefined || !/^\d+(?:\.\d+)?$/.test(v)) return null;
  return Number(v);
}

export function parseXlInfo(text: string): XlInfo {
  const fields: Record<string, string> = {};
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const m = /^([a-z_][a-z0-9_]*)\s*:\s?(.*)$/.exec(cleanLine(raw));
    if (m && !(m[1] in fields)) fields[m[1]] = m[2].trim();
  }
  const caps = fields.virt_caps;
  const virtCaps = caps === undefined ? [] : caps.split(/\s+/).filter(Boolean);
  const has = (c: string) => (caps === undefined ? null : virtCaps.includes(c));
  let xenVersion = fields.xen_version?.match(/^\d+\.\d+(?:\.\d+)?/)?.[0] ?? null;
  if (!xenVersion && fields.xen_major && fields.xen_minor) {
    const extra = /^\.(\d+)/.exec(fields.xen_extra ?? '')?.[1];
    xenVersion = `${fields.xen_major}.${fields.xen_minor}${extra ? `.${extra}` : ''}`;
  }
  return {
    fields,
    xenVersion,
    virtCaps,
    hvm: has('hvm'),
    hvmDirectio: has('hvm_directio'),
    pvDirectio: has('pv_directio'),
    nrCpus: num(fields.nr_cpus),
    totalMemoryMiB: num(fields.total_memory),
    freeMemoryMiB: num(fields.free_memory),
    commandLine: fields.xen_commandline ?? null,
  };
}
