// Console transports are found in lib/console/transports/ like power backends: each brings its rig
// section, its description and its open; the rig's `console` is one of their sections.
import assert from 'node:assert/strict';
import { consoleSchema, consoleTransport, consoleTransports } from '../../lib/console/schema.ts';

describe('console/schema: the transport registry', () => {
  it('has tty and tcp, each describing its own section', () => {
    assert.deepEqual([...consoleTransports.keys()].sort(), ['tcp', 'tty']);
    const tty = consoleSchema.parse({ kind: 'tty', path: '/dev/ttyUSB0' });
    assert.equal(consoleTransport(tty).describe(tty), '/dev/ttyUSB0 @115200');
    const tcp = consoleSchema.parse({ kind: 'tcp', host: 'rte-3', port: 13541 });
    assert.equal(consoleTransport(tcp).describe(tcp), 'ser2net raw rte-3:13541');
  });

  it('refuses an unknown kind and a key another transport has', () => {
    assert.equal(consoleSchema.safeParse({ kind: 'usb', path: 'x' }).success, false);
    assert.equal(consoleSchema.safeParse({ kind: 'tty', path: '/dev/ttyS0', host: 'x' }).success, false);
    assert.throws(() => consoleTransport({ kind: 'usb' }), /no console transport "usb" \(known: /);
  });
});
