// dom0 /init's Xen section run for real by sh, with the tools stubbed in a temp folder that
// stands for /usr/lib/xen-<version>/bin: it starts xenstored, xen-init-dom0 and xenconsoled from
// the folder the image's /etc/iommu-lab/dom0-xen names (4.20's on Debian 13), in that order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderXenToolsConfig } from '../../lib/images/dom0.ts';
import { FILES_DIR } from '../../lib/images/files.ts';
import { TRIXIE, xenToolsDir } from '../../lib/images/release.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const init = readFileSync(join(FILES_DIR, 'dom0-init.sh'), 'utf8');
const section = init.slice(init.indexOf('. /etc/iommu-lab/dom0-xen'), init.indexOf("# dom0's network"));

describe('images: dom0 /init Xen tools section', () => {
  it("starts the release's xenstored, xen-init-dom0 and xenconsoled", () => {
    const dir = tempDir('dom0-init-xen-');
    const tools = join(dir, xenToolsDir(TRIXIE));
    mkdirSync(tools, { recursive: true });
    const log = join(dir, 'log');
    for (const t of ['xenstored', 'xen-init-dom0', 'xenconsoled']) {
      writeFileSync(join(tools, t), `#!/bin/sh\necho "${t} $*" >>'${log}'\n`);
      chmodSync(join(tools, t), 0o755);
    }
    // The baked file, with the image's root moved into the temp folder.
    writeFileSync(join(dir, 'dom0-xen'), renderXenToolsConfig(TRIXIE).replace('XEN=', `XEN=${dir}`));
    const script = section.replaceAll('/etc/iommu-lab/dom0-xen', join(dir, 'dom0-xen'));
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
      'xenstored --pid-file /run/xenstore.pid',
      'xen-init-dom0 ',
      'xenconsoled --log=guest --pid-file /run/xenconsoled.pid',
    ]);
  });
});
