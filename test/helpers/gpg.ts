// A real OpenPGP signing key for tests, made by gpg in a temp home: its public key as an
// armored file (what keys/dasharo/ holds for the real releases) and detached signatures made
// with it. Tests that need it skip, naming the tool, where it is not installed (Debian packages gpg,
// gpg-agent).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';
import { onPath, skipWithout } from './tools.ts';

export interface SigningKey {
  /** Armored public key. */
  publicKey: string;
  fingerprint: string;
  /** A detached binary signature of `data`. */
  sign(data: Buffer | string): Buffer;
  /** Stops the gpg-agent this home started. */
  cleanup(): void;
}

export function requireGpg(ctx: Mocha.Context): void {
  if (!onPath('gpg')) skipWithout(ctx, 'no gpg on PATH', 'apt-get install gpg');
  // Making a key needs the agent (verifying does not).
  if (!onPath('gpg-agent')) skipWithout(ctx, 'no gpg-agent on PATH', 'apt-get install gpg-agent');
}

/**
 * `past`: the key is made and signs at that time (gpg --faked-system-time, e.g. 20240101T000000)
 * and expires a day later, so it has expired by now, as 3mdeb's 24.05.00.x signing subkey has.
 */
export function makeSigningKey(uid = 'iommu-lab test release key <test@example.invalid>', past?: string): SigningKey {
  const home = tempDir('gpg-');
  const faked = past ? ['--faked-system-time', past] : [];
  const gpg = (args: string[], input?: string) =>
    execFileSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...faked, ...args], {
      input,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  gpg(['--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', past ? '1d' : 'never']);
  const colons = gpg(['--with-colons', '--list-keys', uid]).toString();
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1]!;
  return {
    publicKey: gpg(['--armor', '--export', fingerprint]).toString(),
    fingerprint,
    sign(data) {
      const file = join(home, 'to-sign');
      writeFileSync(file, data);
      rmSync(`${file}.sig`, { force: true });
      gpg(['--local-user', fingerprint, '--detach-sign', '--output', `${file}.sig`, file]);
      return readFileSync(`${file}.sig`);
    },
    cleanup() {
      try {
        execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
      } catch {
        // no agent was started, or gpgconf is missing: nothing to stop
      }
    },
  };
}
