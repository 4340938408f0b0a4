// Line numbers in console.log: where a diagnosis's matched line was seen, looked for inside the
// test's own console range first (the same message may recur on a later boot), then anywhere.
import { cleanLine } from '../core/text.ts';

/** console.log as clean lines; index 0 is line 1 (the transcript's header). */
export function consoleLines(text: string): string[] {
  return text.split('\n').map((l) => cleanLine(l.replace(/\r/g, '')));
}

export function consoleLineOf(
  lines: readonly string[],
  text: string,
  range?: { fromLine: number; toLine: number },
): number | undefined {
  const want = text.trim();
  if (!want) return undefined;
  const find = (from: number, to: number) => {
    for (let i = Math.max(0, from); i < Math.min(lines.length, to); i++) if (lines[i]!.includes(want)) return i + 1;
    return undefined;
  };
  return (range && find(range.fromLine - 1, range.toLine)) ?? find(0, lines.length);
}
