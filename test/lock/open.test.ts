import assert from 'node:assert/strict';
import { LocalLock } from '../../lib/lock/local.ts';
import { openLock } from '../../lib/lock/open.ts';
import { SshMkdirLock } from '../../lib/lock/ssh-mkdir.ts';
import { LocalShell } from '../../lib/remote/local.ts';

describe('lock/open', () => {
  it('opens a local lock file named after the rig', () => {
    const l = openLock({ name: 'apu2-twin', lock: { kind: 'local', dir: '/tmp/x' } });
    assert.ok(l instanceof LocalLock);
    assert.equal(l.path, '/tmp/x/apu2-twin.lock');
    assert.match(openLock({ name: 'b', lock: { kind: 'local' } }).description, /\/tmp\/iommu-lab-locks\/b\.lock/);
  });

  it('opens an SSH lock on the controller, and refuses without one', () => {
    const l = openLock(
      { name: 'apu2-rte', lock: { kind: 'ssh', dir: '/var/lock/iommu-lab/' } },
      { controller: new LocalShell() },
    );
    assert.ok(l instanceof SshMkdirLock);
    assert.equal(l.lockDir, '/var/lock/iommu-lab/apu2-rte.lock');
    assert.throws(() => openLock({ name: 'apu2-rte', lock: { kind: 'ssh', dir: '/d' } }), /needs the bench controller/);
  });
});
