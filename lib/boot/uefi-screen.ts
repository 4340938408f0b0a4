// The screen a UEFI serial console draws, read back as rows of text. edk2's terminal driver
// (MdeModulePkg/Universal/Console/TerminalDxe) places every string with a cursor move
// (ESC [ row ; col H), colours it with ESC [ … m and clears with ESC [ 2 J, so the boot manager's
// menu is not a sequence of lines on the wire: an item is redrawn in place when the selection
// moves. Played onto a grid, the last state of each row is what a person would see.

const CSI = /^\x1b\[([0-9;?]*)([@-~])/;
const ESC_OTHER = /^\x1b[()*+#]?[^\x1b]/;

/** Rows (0-based) of the screen after `raw` is played on a blank one; trailing spaces trimmed. */
export function screenRows(raw: string): string[] {
  const grid: string[][] = [];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    grid[row] ??= [];
    const line = grid[row];
    while (line.length < col) line.push(' ');
    line[col++] = ch;
  };
  for (let i = 0; i < raw.length; ) {
    const ch = raw[i]!;
    if (ch === '\x1b') {
      const m = CSI.exec(raw.slice(i, i + 32));
      if (!m) {
        // Another escape (a charset choice ESC ( B, a lone ESC): nothing drawn.
        i += ESC_OTHER.exec(raw.slice(i, i + 3))?.[0].length ?? 1;
        continue;
      }
      const args = m[1]!.split(';').map((a) => Number.parseInt(a, 10));
      if (m[2] === 'H' || m[2] === 'f') {
        row = Math.max((args[0] || 1) - 1, 0);
        col = Math.max((args[1] || 1) - 1, 0);
      } else if (m[2] === 'J' && args[0] === 2) grid.length = 0;
      else if (m[2] === 'K') grid[row]?.splice(col);
      i += m[0].length;
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') row++;
    else if (ch === '\b') col = Math.max(col - 1, 0);
    else if (ch >= ' ') put(ch);
    i++;
  }
  return Array.from(grid, (l) => (l ?? []).join('').trimEnd());
}
