import assert from 'node:assert/strict';
import { TELNET as T, TelnetCodec } from '../../lib/console/telnet.ts';

const { IAC, WILL, WONT, DO, DONT, SB, SE, BINARY, ECHO, SGA } = T;

describe('console/telnet', () => {
  // What ser2net 4 sends on a telnet port (captured from the real daemon), then data holding
  // an escaped 0xFF, a subnegotiation and a NOP.
  const stream = Buffer.from([
    ...[IAC, WILL, SGA, IAC, DO, SGA, IAC, WILL, ECHO, IAC, DONT, ECHO, IAC, DO, BINARY, IAC, WILL, BINARY],
    ...Buffer.from('(XEN) a'),
    ...[IAC, IAC],
    ...Buffer.from('b'),
    ...[IAC, SB, 44, 1, IAC, IAC, 0, IAC, SE],
    ...[IAC, 241],
    ...Buffer.from('c\r\n'),
  ]);
  const expected = Buffer.from([...Buffer.from('(XEN) a'), 0xff, ...Buffer.from('bc\r\n')]);

  it('strips IAC sequences split at every byte boundary', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const c = new TelnetCodec();
      c.hello();
      const a = c.decode(stream.subarray(0, cut));
      const b = c.decode(stream.subarray(cut));
      assert.deepEqual(Buffer.concat([a.data, b.data]), expected, `cut at ${cut}`);
    }
  });

  it('agrees to binary and SGA once, accepts the server echo, refuses other options', () => {
    const c = new TelnetCodec();
    assert.deepEqual([...c.hello()], [IAC, WILL, BINARY, IAC, DO, BINARY, IAC, WILL, SGA, IAC, DO, SGA]);
    // ser2net's answers to our requests need no reply; its WILL ECHO does; a new option is refused.
    const { reply } = c.decode(Buffer.from([IAC, WILL, SGA, IAC, DO, SGA, IAC, WILL, ECHO, IAC, DO, 44]));
    assert.deepEqual([...reply], [IAC, DO, ECHO, IAC, WONT, 44]);
    assert.equal(c.option('us', SGA), 'yes');
    assert.equal(c.option('him', ECHO), 'yes');
    // Repeated requests in the same state are not answered (no negotiation loops).
    assert.equal(c.decode(Buffer.from([IAC, WILL, ECHO, IAC, DO, SGA])).reply.length, 0);
  });

  it('escapes 0xFF on send, and a bare CR outside binary mode', () => {
    const c = new TelnetCodec();
    assert.deepEqual([...c.encode(Buffer.from([0x41, 0xff, 13, 10, 13]))], [0x41, 0xff, 0xff, 13, 10, 13, 0]);
    c.hello();
    c.decode(Buffer.from([IAC, DO, BINARY]));
    assert.deepEqual([...c.encode(Buffer.from([13, 0xff]))], [13, 0xff, 0xff]);
  });

  it('says whether it is between sequences (a redial must not cut one in half)', () => {
    const c = new TelnetCodec();
    assert.equal(c.between(), true);
    c.decode(Buffer.from([0x41, IAC]));
    assert.equal(c.between(), false);
    c.decode(Buffer.from([WILL]));
    assert.equal(c.between(), false);
    c.decode(Buffer.from([SGA, IAC, SB, 24]));
    assert.equal(c.between(), false);
    c.decode(Buffer.from([IAC, SE]));
    assert.equal(c.between(), true);
  });
});
