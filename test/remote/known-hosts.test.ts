// known_hosts matching rules, checked against what OpenSSH's own ssh-keygen -F finds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobType, findKnownKeys, fingerprint, knownHostsLine, lookupName } from '../../lib/remote/known-hosts.ts';
import { generateKeyPair } from '../helpers/ssh-server.ts';

describe('remote/known-hosts', () => {
  const a = generateKeyPair();
  const b = generateKeyPair('ecdsa');
  const blobOf = (pub: string) => Buffer.from(pub.split(' ')[1], 'base64');

  it('names hosts as OpenSSH does: plain on port 22, [host]:port elsewhere', () => {
    assert.equal(lookupName('rte.lab', 22), 'rte.lab');
    assert.equal(lookupName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  });

  it('reads the key type inside a blob', () => {
    assert.equal(blobType(blobOf(a.public)), 'ssh-ed25519');
    assert.equal(blobType(blobOf(b.public)), 'ecdsa-sha2-nistp256');
  });

  const text = [
    '# comment',
    '',
    `rte.lab,10.0.0.5 ${a.public}`,
    `*.bench.lab,!evil.bench.lab ${b.public}`,
    `[10.0.0.5]:2222 ${b.public}`,
    knownHostsLine('hashed.lab', 22, a.public, true),
    `@revoked old.lab ${a.public}`,
    `@cert-authority *.lab ${b.public}`,
    'garbage-line-without-key',
  ].join('\n');

  const cases: [string, number, string[]][] = [
    ['rte.lab', 22, ['ssh-ed25519']],
    ['10.0.0.5', 22, ['ssh-ed25519']],
    ['10.0.0.5', 2222, ['ecdsa-sha2-nistp256']],
    ['RTE.LAB', 22, ['ssh-ed25519']],
    ['apu2.bench.lab', 22, ['ecdsa-sha2-nistp256']],
    ['evil.bench.lab', 22, []],
    ['hashed.lab', 22, ['ssh-ed25519']],
    ['hashed.lab', 2222, []],
    ['rte.lab', 2222, []],
    ['unknown.lab', 22, []],
  ];
  for (const [host, port, types] of cases)
    it(`finds ${JSON.stringify(types)} for ${host}:${port}`, () => {
      assert.deepEqual(
        findKnownKeys(text, host, port).map((k) => k.type),
        types,
      );
    });

  it('keeps @revoked entries flagged and skips @cert-authority', () => {
    const [k] = findKnownKeys(text, 'old.lab', 22);
    assert.equal(k.revoked, true);
    assert.equal(k.line, 7);
    assert.deepEqual(findKnownKeys(text, 'x.lab', 22), []);
  });

  it('agrees with ssh-keygen -F on hashed and plain entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-kh-'));
    try {
      const file = join(dir, 'known_hosts');
      const content = `${knownHostsLine('board.lab', 2200, a.public, true)}\n${knownHostsLine('ctl.lab', 22, b.public)}\n`;
      writeFileSync(file, content);
      const sshKeygenFinds = (name: string) => {
        try {
          return execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' }).includes('found');
        } catch {
          return false; // exit 1: not found
        }
      };
      const probes = [
        ['board.lab', 2200],
        ['board.lab', 22],
        ['ctl.lab', 22],
        ['ctl.lab', 2200],
      ] as const;
      for (const [host, port] of probes) {
        const ours = findKnownKeys(content, host, port).length > 0;
        assert.equal(ours, sshKeygenFinds(lookupName(host, port)), `${host}:${port}`);
      }
      assert.ok(sshKeygenFinds('[board.lab]:2200'), 'the probe itself can succeed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fingerprints are unpadded SHA256 base64', () => {
    assert.match(fingerprint(blobOf(a.public)), /^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
