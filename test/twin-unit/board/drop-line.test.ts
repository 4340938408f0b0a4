import assert from 'node:assert/strict';
import { IPXE_CTRL_B_LINE, LineDropper } from '../../../twin/board/drop-line.ts';

describe("twin/board/drop-line: the line Dasharo's EFI iPXE never prints, dropped from the stand-in", () => {
  const run = (chunks: string[]) => {
    const out: string[] = [];
    const d = new LineDropper(IPXE_CTRL_B_LINE, (b) => out.push(b.toString('latin1')));
    for (const c of chunks) d.push(Buffer.from(c, 'latin1'));
    d.flush();
    return out.join('');
  };

  it('removes the line whole or cut anywhere across chunks, and keeps everything else', () => {
    const screen = `iPXE 1.0.0+ -- Open Source Network Boot Firmware\r\n\r\n${IPXE_CTRL_B_LINE}\r\nConfiguring (net0)`;
    const want = 'iPXE 1.0.0+ -- Open Source Network Boot Firmware\r\n\r\n\r\nConfiguring (net0)';
    assert.equal(run([screen]), want);
    for (let cut = 1; cut < screen.length; cut += 7) assert.equal(run([screen.slice(0, cut), screen.slice(cut)]), want);
    assert.equal(run([...screen]), want, 'one byte at a time');
  });

  it('lets a held-back tail go when nothing follows (a line that only began like it)', async () => {
    const out: string[] = [];
    const d = new LineDropper(IPXE_CTRL_B_LINE, (b) => out.push(b.toString('latin1')));
    d.push(Buffer.from('iPXE> Pr', 'latin1'));
    assert.equal(out.join(''), 'iPXE> ');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(out.join(''), 'iPXE> Pr');
  });
});
