// iperf3 --json output, possibly surrounded by other text (a shell transcript). Returns the
// first top-level JSON object that parses, scanning braces outside strings.

export function extractJsonObject(text: string): unknown | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // fall through to scanning
    }
  }
  // Only braces that open a line, and a bounded number of tries: a huge transcript full of
  // braces must not turn this into quadratic work.
  let tries = 0;
  for (let start = text.indexOf('{'); start >= 0 && tries < 20; start = text.indexOf('{', start + 1)) {
    if (start > 0 && text[start - 1] !== '\n') continue;
    tries++;
    const end = matchingBrace(text, start);
    if (end < 0) continue;
    try {
      const v: unknown = JSON.parse(text.slice(start, end + 1));
      if (v && typeof v === 'object') return v;
    } catch {
      // not JSON; try the next brace
    }
  }
  return null;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
