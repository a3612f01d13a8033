// The listener probe's parser on socket tables read from a real container (test/fixtures/reach/README.md).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { listenerScope, parseProcNetListeners } from '../../../src/core/engine/procNet';
import { fixturePath } from '../../paths';

describe('parseProcNetListeners', () => {
  it('Engine 28.5.2 container: 0.0.0.0:9090, 127.0.0.1:80 and [::]:8080, with their scope', () => {
    const l = parseProcNetListeners(fs.readFileSync(fixturePath('reach', 'e28.5-procnet-listeners.txt'), 'utf8'));
    assert.deepEqual(l.map((x) => `${x.protocol} ${x.family} ${x.address} ${x.port} ${listenerScope(x)}`), [
      'tcp ipv4 0.0.0.0 9090 all', 'tcp ipv4 127.0.0.1 80 loopback', 'tcp ipv6 :: 8080 all',
    ]);
  });

  it('reads ::1 and a UDP socket by their tables, and skips connected ones', () => {
    // the kernel's layout (include/net/tcp_states.h: 0A LISTEN, 01 ESTABLISHED, 07 CLOSE), written out by hand
    const text = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 ' +
        '0 0 10 0',
      '   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1',
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  10: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3 2 0 0',
    ].join('\n');
    assert.deepEqual(parseProcNetListeners(text).map((x) => `${x.protocol} ${x.address} ${x.port}`), ['tcp ::1 80', 'udp 0.0.0.0 5353']);
  });
});
