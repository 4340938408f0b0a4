// Puts the static probe helpers where they run: built once per source digest on the test host
// (gcc), then copied over SSH through `base64 -d` — any Linux guest or dom0 with a shell and
// base64 (coreutils or busybox) takes them, no SFTP server and no image rebuild needed.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/paths.ts';
import { shq } from '../core/quote.ts';
import type { RemoteShell } from '../remote/types.ts';
import { buildHelper, type HelperName, PROBE_SOURCES } from './build.ts';

/** Where helpers land on the remote side (tmpfs on the twin; /tmp on a bench's dom0 and guest). */
export const REMOTE_HELPER_DIR = '/tmp/iommu-lab';

const CACHE = process.env.IOMMU_LAB_HELPER_CACHE ?? join(PROJECT_ROOT, '.cache', 'dma-helpers');

async function sourcesDigest(): Promise<string> {
  const h = createHash('sha256');
  for (const f of (await readdir(PROBE_SOURCES)).sort()) {
    h.update(`${f}\0`);
    h.update(await readFile(join(PROBE_SOURCES, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** The helper binary on this host, built when the sources changed since the last build. */
export async function localHelper(name: HelperName): Promise<string> {
  const dir = join(CACHE, await sourcesDigest());
  const path = join(dir, name);
  return existsSync(path) ? path : buildHelper(name, dir);
}

/** Copies the helper to the remote shell (into `dir`: a test gives its own, #24 T2) and returns its path there. */
export async function installHelper(shell: RemoteShell, name: HelperName, dir = REMOTE_HELPER_DIR): Promise<string> {
  const local = await localHelper(name);
  const remote = `${dir}/${name}`;
  const body = (await readFile(local)).toString('base64');
  const r = await shell.run(
    `mkdir -p ${shq(dir)} && base64 -d > ${shq(`${remote}.part`)} && chmod 0755 ${shq(`${remote}.part`)} && mv ${shq(`${remote}.part`)} ${shq(remote)}`,
    { input: body, timeoutMs: 120_000 },
  );
  if (r.exitCode !== 0)
    throw new Error(
      `could not copy ${name} to ${shell.description} (exit ${r.exitCode}: ${r.stderr.trim().split('\n').pop()}): it needs base64 and a writable ${dir}`,
    );
  return remote;
}
