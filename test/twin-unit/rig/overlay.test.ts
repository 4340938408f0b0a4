// The twin stands in for a real bench (twin/rig/overlay.ts): rigs/apu2-twin.ts differs from
// rigs/apu2-rte.ts only where the list of replacements says, each with its reason in docs/twin.md;
// anything else a real bench has (GPIOs, NICs, the boot entry, guests, flash power state) the twin
// runs as the real rig says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { twinRigOf } from '../../../lib/bench/twin-provider.ts';
import { BOOKWORM, TRIXIE } from '../../../lib/images/release.ts';
import { openLock } from '../../../lib/lock/open.ts';
import { loadRigWithInput } from '../../../lib/rig/load.ts';
import { twinPaths } from '../../../twin/base/paths.ts';
import { releaseServedFrom } from '../../../twin/images/sets.ts';

// The rigs as their files say (their secrets live on a bench's test host: not read here).
const loadRig = async (name: string) => (await loadRigWithInput(name)).rig;

import {
  IMAGE_SET_REPLACEMENTS,
  TWIN_REPLACEMENTS,
  twinImageSet,
  twinOf,
  twinXenOptions,
} from '../../../twin/rig/overlay.ts';

/** Key paths where two plain values differ (a key on one side only counts). */
function differences(a: unknown, b: unknown, at = ''): string[] {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (obj(a) && obj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

const replaced = (path: string) => TWIN_REPLACEMENTS.some((r) => path === r.path || path.startsWith(`${r.path}.`));

describe('twin/rig/overlay: the twin replaces only endpoints and documented emulator limits', () => {
  it('rigs/apu2-twin.ts differs from rigs/apu2-rte.ts only where the list says', async () => {
    const [rte, twin] = await Promise.all([loadRig('apu2-rte'), loadRig('apu2-twin')]);
    const unlisted = differences(rte, twin).filter((p) => !replaced(p));
    assert.deepEqual(unlisted, [], `differences with no reason in TWIN_REPLACEMENTS: ${unlisted.join(', ')}`);
  });

  it('`run --rig apu2-rte --twin` makes exactly rigs/apu2-twin.ts', async () => {
    assert.deepEqual(await twinRigOf('apu2-rte'), await loadRig('apu2-twin'));
  });

  it('the difference finder sees a change the list does not name (a GPIO)', async () => {
    const rte = await loadRig('apu2-rte');
    const moved = structuredClone(rte);
    (moved.power as unknown as { relayGpio: number }).relayGpio = 7;
    assert.deepEqual(
      differences(rte, moved).filter((p) => !replaced(p)),
      ['power.relayGpio'],
    );
  });

  it('docs/twin.md names every replacement', () => {
    const doc = readFileSync(new URL('../../../docs/twin.md', import.meta.url), 'utf8');
    const missing = [...TWIN_REPLACEMENTS, ...IMAGE_SET_REPLACEMENTS]
      .filter((r) => !doc.includes(`\`${r.path}\``))
      .map((r) => r.path);
    assert.deepEqual(missing, []);
  });

  it("keeps the rig's Xen options and adds only what TCG/QEMU 7.2 need", () => {
    assert.equal(
      twinXenOptions('console=com1 dom0_mem=1024M iommu=verbose noreboot'),
      'console=com1 dom0_mem=1024M dom0_max_vcpus=1 iommu=verbose,quarantine=scratch-page noreboot sched=credit',
    );
    assert.equal(
      twinXenOptions('iommu=1,quarantine=basic sched=credit2'),
      'iommu=1,quarantine=basic sched=credit2 dom0_max_vcpus=1',
    );
  });
});

describe('twin/rig/overlay: apu2-twin-xen420 is apu2-twin with the Xen 4.20 image set', () => {
  const replacedBySet = (path: string) =>
    IMAGE_SET_REPLACEMENTS.some((r) => path === r.path || path.startsWith(`${r.path}.`));

  it('differs from rigs/apu2-twin.ts exactly where IMAGE_SET_REPLACEMENTS says', async () => {
    const [twin, xen420] = await Promise.all([loadRig('apu2-twin'), loadRig('apu2-twin-xen420')]);
    const diff = differences(twin, xen420);
    assert.deepEqual(
      diff.filter((p) => !replacedBySet(p)),
      [],
    );
    // Every listed replacement is real: none is a leftover.
    assert.deepEqual(
      IMAGE_SET_REPLACEMENTS.map((r) => r.path).filter((p) => !diff.includes(p)),
      [],
    );
  });

  it("serves the 4.20 sets' folder beside the 4.17 one, and takes the twin bench's lock", async () => {
    const xen420 = await loadRig('apu2-twin-xen420');
    assert.equal(xen420.name, 'apu2-twin-xen420');
    assert.equal(xen420.lock.bench, 'apu2-twin');
    assert.equal(xen420.boot.server?.root, join(twinPaths.home, 'images-xen420'));
    assert.equal(releaseServedFrom(xen420.boot.server?.root), TRIXIE);
    assert.equal(releaseServedFrom((await loadRig('apu2-twin')).boot.server?.root), BOOKWORM);
    assert.equal(releaseServedFrom(undefined), BOOKWORM);
  });

  it('twinOf(rig, { images }) is twinOf(rig) with the same replacements', async () => {
    const rte = (await import('../../../rigs/apu2-rte.ts')).default;
    assert.deepEqual(twinOf(rte, { images: 'xen420' }), twinImageSet(twinOf(rte), 'xen420'));
    assert.deepEqual(twinOf(rte, { images: 'xen417' }), twinOf(rte));
  });

  it("two rigs of one bench open one lock file (lock.bench), another rig's its own", async () => {
    const [twin, xen420, rte] = await Promise.all([
      loadRig('apu2-twin'),
      loadRig('apu2-twin-xen420'),
      loadRig('apu2-tasmota'),
    ]);
    assert.equal(openLock(xen420).description, openLock(twin).description);
    assert.notEqual(openLock(rte).description, openLock(twin).description);
  });
});
