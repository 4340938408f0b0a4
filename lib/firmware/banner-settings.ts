// Runtime options as the PC Engines firmware shows them, when they appear in a transcript:
// sortbootorder's setup menu ("  v IOMMU - Currently Disabled") and cb-order's option list
// ("(V)  [iommu       =    off]  IOMMU"). Keys are the menu's own names.
import { type Line, onMatch } from '../core/text.ts';

const MENU = /^\s*[a-z] (.+?) - Currently (Enabled|Disabled)\b/;
const CB_ORDER = /\[([a-z0-9_]+)\s*=\s*(on|off)\]\s+(.+?)\s*(?:│|$)/;

export function parseFirmwareSettings(lines: Line[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const { text } of lines) {
    const m = MENU.exec(text);
    if (m) {
      out[m[1]] = m[2] === 'Enabled';
      continue;
    }
    onMatch(CB_ORDER, text, (m) => {
      out[m[3]] = m[2] === 'on';
    });
  }
  return out;
}
