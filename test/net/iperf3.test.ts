import assert from 'node:assert/strict';
import { compareThroughput, parseIperf3 } from '../../lib/net/iperf3.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('net/iperf3', () => {
  it('reads a TCP run (real iperf3 3.12 JSON)', () => {
    const r = parseIperf3(logFixture('iperf3-tcp.json'));
    assert.equal(r.error, null);
    assert.equal(r.protocol, 'TCP');
    assert.equal(r.reverse, false);
    assert.equal(r.duration, 1);
    assert.equal(r.retransmits, 0);
    assert.ok(r.sentBitsPerSecond! > 1e6 && r.receivedBitsPerSecond! > 1e6);
    assert.ok(r.seconds! > 0.9 && r.seconds! < 2);
  });
  it('reads a reverse run', () => {
    const r = parseIperf3(logFixture('iperf3-tcp-reverse.json'));
    assert.equal(r.reverse, true);
    assert.ok(r.receivedBitsPerSecond! > 0);
  });
  it('reads a UDP run with jitter and loss', () => {
    const r = parseIperf3(logFixture('iperf3-udp.json'));
    assert.equal(r.protocol, 'UDP');
    assert.equal(typeof r.jitterMs, 'number');
    assert.equal(typeof r.lostPercent, 'number');
    assert.ok(r.receivedBitsPerSecond! > 0);
  });
  it('reports the error of a failed run', () => {
    const r = parseIperf3(logFixture('iperf3-refused.json'));
    assert.match(r.error!, /Connection refused/);
    assert.equal(r.receivedBitsPerSecond, null);
  });
  it('tolerates JSON of another shape, throws only on non-JSON', () => {
    assert.equal(parseIperf3('[1,2]').protocol, null);
    assert.equal(parseIperf3({ end: { sum_sent: { bits_per_second: 'x' } } }).sentBitsPerSecond, null);
    assert.throws(() => parseIperf3('not json'));
  });
  it('compares with a baseline and says which threshold it used', () => {
    assert.deepEqual(compareThroughput(900e6, 941e6), {
      measured: 900e6,
      baseline: 941e6,
      ratio: 900e6 / 941e6,
      threshold: 0.9,
      pass: true,
    });
    assert.equal(compareThroughput(500e6, 941e6).pass, false);
    assert.equal(compareThroughput(500e6, 941e6, 0.5).pass, true);
    assert.equal(compareThroughput(500e6, 0).pass, null);
    assert.equal(compareThroughput(Number.NaN, 941e6).ratio, null);
  });

  it("shows escape sequences in iperf3's error text as text (#24 N13)", () => {
    const r = parseIperf3(JSON.stringify({ error: 'unable to connect\x1b]0;owned\x07\x1b[2J\x9b31m' }));
    assert.equal(r.error, 'unable to connect\\e]0;owned\\x07\\e[2J\\x9b31m');
  });
});
