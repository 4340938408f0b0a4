// One input → kinds, facts and findings (the `iommu-lab analyze` JSON shape per input).

import { toLines } from '../core/text.ts';
import { diagnose } from '../diagnose/table.ts';
import type { Finding } from '../diagnose/types.ts';
import { deriveFindings } from './derive.ts';
import { detectKinds, type Kind } from './detect.ts';
import { collectFacts, type Facts } from './facts.ts';

export interface InputReport {
  source: string;
  kinds: Kind[];
  facts: Facts;
  findings: Finding[];
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function analyzeText(text: string, source = '-'): InputReport {
  const lines = toLines(text);
  const kinds = detectKinds(lines, text);
  const facts = collectFacts(kinds, lines, text);
  const findings = [...diagnose(lines), ...deriveFindings(facts)].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line,
  );
  return { source, kinds, facts, findings };
}
