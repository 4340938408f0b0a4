// The IOMMU facts a run's suites judge, as data in summary.json: whether Xen enabled the IOMMU,
// how many, interrupt remapping, the IVRS table, and the error lines (IVHD/IVRS errors,
// IO_PAGE_FAULT, panics). From the boot's serial capture by default; iommu-detection notes what
// it judged (the serial capture first, `xl dmesg` where the capture did not say), which outranks it.
import { parseXenLog, type XenLogFacts } from '../xen/xen-log.ts';

export interface IommuFacts {
  iommu: 'enabled' | 'disabled' | 'unknown';
  iommuCount: number;
  interruptRemapping: boolean | null;
  ivrs: boolean | null;
  /** The lines that tell of a problem, as Xen printed them (at most 20). */
  errorLines: string[];
}

const MAX_LINES = 20;

function fromFacts(x: XenLogFacts): IommuFacts {
  return {
    iommu: x.iommu,
    iommuCount: x.iommuCount,
    interruptRemapping: x.interruptRemapping,
    ivrs: x.ivrs,
    errorLines: [...x.ivhdErrors, ...x.pageFaults, ...x.panics]
      .sort((a, b) => a.line - b.line)
      .map((h) => h.text)
      .slice(0, MAX_LINES),
  };
}

/** What a suite judged, from two captures: the first where it says, the second where it does not. */
export function noteIommuFacts(into: Partial<IommuFacts>, first: XenLogFacts, second: XenLogFacts): void {
  const a = fromFacts(first);
  const b = fromFacts(second);
  into.iommu = a.iommu === 'unknown' ? b.iommu : a.iommu;
  into.iommuCount = Math.max(a.iommuCount, b.iommuCount);
  into.interruptRemapping = a.interruptRemapping ?? b.interruptRemapping;
  into.ivrs = a.ivrs ?? b.ivrs;
  into.errorLines = [...new Set([...a.errorLines, ...b.errorLines])].slice(0, MAX_LINES);
}

/** Noted facts outrank the serial capture's; undefined when neither says anything (no boot). */
export function iommuFacts(noted: Partial<IommuFacts>, xenLog: string): IommuFacts | undefined {
  if (!xenLog.trim() && !Object.keys(noted).length) return undefined;
  return { ...fromFacts(parseXenLog(xenLog)), ...noted };
}
