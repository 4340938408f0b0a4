// apt for a Debian release the host does not run (Debian 13's Xen 4.20 built on a Debian 12
// host): an APT_CONFIG of the builder's own, in a folder beside the image sets, with its own
// sources, package lists and cache. The host's /etc/apt is read by nothing here and changed by
// nothing: the host stays on its release, only the images are made of the other.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { check } from '../core/exec.ts';
import type { AptContext } from './apt.ts';

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
export const DEBIAN_SECURITY_MIRROR = 'http://deb.debian.org/debian-security';
/** debian-archive-keyring on Debian 12 already carries Debian 13's archive keys. */
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Package lists older than this are refreshed (as a fresh `apt-get update` would). */
export const LISTS_MAX_AGE_MS = 24 * 3600_000;

/** The release's main, updates and security suites, as one-line entries (mmdebstrap takes them too). */
export function releaseSources(suite: string): string {
  const signed = `[signed-by=${DEBIAN_KEYRING}]`;
  return [
    `deb ${signed} ${DEBIAN_MIRROR} ${suite} main`,
    `deb ${signed} ${DEBIAN_MIRROR} ${suite}-updates main`,
    `deb ${signed} ${DEBIAN_SECURITY_MIRROR} ${suite}-security main`,
    '',
  ].join('\n');
}

/**
 * apt.conf for `dir`: every place apt reads or writes moved inside it. An empty dpkg status, so
 * the host's installed packages (of another release) never colour apt-cache policy's answers.
 */
export function releaseAptConf(dir: string): string {
  const q = (p: string): string => {
    if (/["\n]/.test(p)) throw new Error(`apt folder ${p} cannot be quoted in apt.conf`);
    return `"${p}"`;
  };
  return [
    `Dir::Etc::SourceList ${q(join(dir, 'sources.list'))};`,
    `Dir::Etc::SourceParts ${q(join(dir, 'sources.list.d'))};`,
    `Dir::Etc::Preferences ${q(join(dir, 'preferences'))};`,
    `Dir::Etc::PreferencesParts ${q(join(dir, 'preferences.d'))};`,
    `Dir::State ${q(join(dir, 'state'))};`,
    `Dir::State::status ${q(join(dir, 'state', 'status'))};`,
    `Dir::Cache ${q(join(dir, 'cache'))};`,
    // apt-get download runs in a root-owned work folder, where the _apt sandbox user cannot write.
    'APT::Sandbox::User "root";',
    '',
  ].join('\n');
}

/** When the release's lists were last fetched (ms since epoch), or undefined if never. */
async function listsFetchedAt(dir: string, suite: string): Promise<number | undefined> {
  const lists = join(dir, 'state', 'lists');
  if (!existsSync(lists)) return undefined;
  const release = (await readdir(lists)).find((f) => f.endsWith(`_dists_${suite}_InRelease`));
  return release ? statSync(join(lists, release)).mtimeMs : undefined;
}

/**
 * The builder's apt for `suite` in `dir`, its package lists fetched when missing or older than
 * a day. Fetching needs root (the folder is root's, like the sets); without root, lists already
 * there are used as they are, and none at all is the one line saying what to run.
 */
export async function releaseApt(dir: string, suite: string, now = Date.now()): Promise<AptContext> {
  const config = join(dir, 'apt.conf');
  const sources = releaseSources(suite);
  const fetched = await listsFetchedAt(dir, suite);
  const fresh = fetched !== undefined && now - fetched < LISTS_MAX_AGE_MS;
  if (!fresh && process.getuid?.() === 0) {
    for (const d of ['sources.list.d', 'preferences.d', 'state/lists/partial', 'cache/archives/partial'])
      await mkdir(join(dir, d), { recursive: true });
    await writeFile(join(dir, 'sources.list'), sources);
    await writeFile(join(dir, 'state', 'status'), '');
    await writeFile(config, releaseAptConf(dir));
    await check(['apt-get', 'update', '-q'], {
      env: { ...process.env, APT_CONFIG: config },
      timeoutMs: 10 * 60_000,
    }).catch((e: Error) => {
      throw new RigError(`apt-get update for Debian ${suite} (${DEBIAN_MIRROR}) failed: ${e.message}`, {
        code: 'IMAGES_APT_UPDATE',
      });
    });
  } else if (fetched === undefined) {
    throw new RigError(`no package lists for Debian ${suite} in ${dir} yet: run the image build once as root`, {
      code: 'IMAGES_APT_SOURCES',
    });
  }
  return { config, sources };
}
