import assert from 'node:assert/strict';
import { parseSidecar, sidecarCandidates } from '../../../flash/supply/checksum.ts';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('checksum sidecars', () => {
  it('picks the line naming the image in a multi-file SHA256 (3mdeb publishes .zip and .rom)', () => {
    const text = `${A}  apu2_v4.19.0.1.zip\n${B}  apu2_v4.19.0.1.rom\n`;
    assert.equal(parseSidecar(text, 'apu2_v4.19.0.1.rom', 'x.SHA256'), 'b'.repeat(64));
  });

  it('accepts a single digest, a binary-mode star and a path before the name', () => {
    assert.equal(parseSidecar(`${A}\n`, 'any.rom', 's'), A);
    assert.equal(parseSidecar(`${A} *build/coreboot.rom\r\n`, 'coreboot.rom', 's'), A);
  });

  it('refuses a sidecar that names only other files, or holds no digest', () => {
    assert.throws(() => parseSidecar(`${A}  a.rom\n${B}  b.rom\n`, 'c.rom', 'c.sha256'), /lists no digest for c\.rom/);
    assert.throws(() => parseSidecar('<html>404</html>', 'c.rom', 'c.sha256'), /holds no SHA-256 line/);
  });

  it('looks next to the image as PC Engines and Dasharo publish', () => {
    assert.deepEqual(sidecarCandidates('https://x/apu2_v4.19.0.1.rom'), [
      'https://x/apu2_v4.19.0.1.rom.sha256',
      'https://x/apu2_v4.19.0.1.rom.SHA256',
      'https://x/apu2_v4.19.0.1.SHA256',
      'https://x/apu2_v4.19.0.1.sha256',
    ]);
  });
});
