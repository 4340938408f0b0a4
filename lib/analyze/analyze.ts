// One input (or one boot of it) → kinds, facts and findings (the `iommu-lab analyze` JSON shape).

import { type Line, toLines } from '../core/text.ts';
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
  return analyzeLines(toLines(text), text, source);
}

/** `lines`: the clean lines of `text`, numbered as in the whole input (a boot of a longer log keeps its numbers). */
export function analyzeLines(lines: Line[], text: string, source = '-'): InputReport {
  const kinds = detectKinds(lines, text);
  const facts = collectFacts(kinds, lines, text);
  const findings = [...diagnose(lines), ...deriveFindings(facts, kinds)].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line,
  );
  return { source, kinds, facts, findings };
}
