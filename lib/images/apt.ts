// What the images are made of, asked from apt: the sources (for mmdebstrap), the candidate
// versions (for the cache key), and .deb downloads. A set of the host's own Debian release asks
// the system's apt configuration; another release (Debian 13 on a Debian 12 host) asks the
// builder's own (apt-release.ts), and the host's apt is never changed.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { check } from '../core/exec.ts';

/** Keep apt's download sandbox user from tripping over a root-owned work directory. */
const APT_OPTS = ['-o', 'APT::Sandbox::User=root'];

/** Which apt to ask: the host's (no config), or an APT_CONFIG file of the builder's own. */
export interface AptContext {
  config?: string;
  /** The sources mmdebstrap gets, when they are the builder's own (else: the host's for the suite). */
  sources?: string;
}

/** The environment apt-get/apt-cache run with: APT_CONFIG only when the context has its own. */
export function aptEnv(apt: AptContext = {}): NodeJS.ProcessEnv | undefined {
  return apt.config ? { ...process.env, APT_CONFIG: apt.config } : undefined;
}

export async function hostCodename(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8');
  const m = /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(text);
  if (!m) throw new RigError('cannot tell the Debian release from /etc/os-release', { code: 'IMAGES_OS' });
  return m[2];
}

/**
 * The host's enabled Debian sources for `suite` as one-line entries. `apt-get indextargets`
 * lists exactly what apt itself uses (deb822 and one-line files, disabled files skipped);
 * entries for other suites (third-party repos) are left out of the dom0 rootfs.
 */
export async function aptSourcesFor(suite: string, apt: AptContext = {}): Promise<string> {
  const r = await check(
    ['apt-get', 'indextargets', '--format', '$(REPO_URI) $(RELEASE) $(COMPONENT)', 'Identifier: Packages'],
    { env: aptEnv(apt) },
  );
  const components = new Map<string, Set<string>>();
  for (const line of r.stdout.split('\n')) {
    const [uri, release, component] = line.trim().split(/\s+/);
    if (!uri || !component || !(release === suite || release.startsWith(`${suite}-`))) continue;
    const key = `${uri} ${release}`;
    if (!components.has(key)) components.set(key, new Set());
    components.get(key)!.add(component);
  }
  if (components.size === 0) {
    throw new RigError(`no apt source for ${suite} is configured on this host (apt-get update?)`, {
      code: 'IMAGES_APT_SOURCES',
    });
  }
  return [...components].map(([k, c]) => `deb ${k} ${[...c].join(' ')}`).join('\n') + '\n';
}

/** The kernel package `linux-image-amd64` currently points at, e.g. linux-image-6.1.0-56-amd64. */
export async function currentKernelPackage(apt: AptContext = {}): Promise<{ pkg: string; version: string }> {
  const r = await check(['apt-cache', 'depends', 'linux-image-amd64'], { env: aptEnv(apt) });
  const m = /Depends:\s*(linux-image-(\d[^\s]*-amd64))\b/.exec(r.stdout);
  if (!m) {
    throw new RigError('apt-cache depends linux-image-amd64 names no kernel (apt-get update?)', {
      code: 'IMAGES_APT_KERNEL',
    });
  }
  return { pkg: m[1], version: m[2] };
}

/** Candidate versions as apt-cache policy reports them; a package apt does not know is an error. */
export async function candidateVersions(
  names: readonly string[],
  apt: AptContext = {},
): Promise<Record<string, string>> {
  const r = await check(['apt-cache', 'policy', ...names], { env: aptEnv(apt) });
  const out: Record<string, string> = {};
  for (const block of r.stdout.split(/^(?=\S)/m)) {
    const name = /^([^\s:]+):/.exec(block)?.[1];
    const cand = /^\s+Candidate:\s*(\S+)/m.exec(block)?.[1];
    if (name && cand && cand !== '(none)') out[name] = cand;
  }
  const unknown = names.filter((n) => !out[n]);
  if (unknown.length > 0) {
    throw new RigError(`apt has no candidate for ${unknown.join(', ')} (apt-get update?)`, {
      code: 'IMAGES_APT_UNKNOWN',
    });
  }
  return out;
}

/** `apt-get download` the packages into `debDir` and unpack each into `dest` (no maintainer scripts). */
export async function downloadAndExtract(
  pkgs: readonly string[],
  debDir: string,
  dest: string,
  apt: AptContext = {},
): Promise<void> {
  await check(['apt-get', ...APT_OPTS, 'download', '-q', ...pkgs], {
    cwd: debDir,
    timeoutMs: 15 * 60_000,
    env: aptEnv(apt),
  });
  for (const f of await readdir(debDir)) {
    if (f.endsWith('.deb') && pkgs.some((p) => f.startsWith(`${p}_`))) {
      await check(['dpkg-deb', '-x', join(debDir, f), dest]);
    }
  }
}
