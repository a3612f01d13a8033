// The live probe's report, as busybox telnet printed it in a probe container on Engine 28.5.2 (2026-12-04, the
// sid engine of the test rig): an httpd on every address, one on 127.0.0.1 behind docker-proxy, a port nothing
// published; and the time-out between two containers of an icc=false network (test/engine/reach.test.ts runs them).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseLiveProbe } from '../../../src/core/reach/liveProbe';

describe('parseLiveProbe (busybox telnet, Engine 28.5.2)', () => {
  it('held open by a server waiting for a request: reached', () => {
    assert.deepEqual(
      [parseLiveProbe('dnd-live rc=0\nConnected to 127.0.0.1').outcome, parseLiveProbe('dnd-live rc=0\nConnected to 127.0.0.1').reached],
      ['held-open', true]);
  });
  it('closed by docker-proxy with nothing said (the app behind it unreachable): not reached', () => {
    const r = parseLiveProbe('dnd-live rc=1\nConnection closed by foreign host\nConnected to 127.0.0.1');
    assert.equal(r.outcome, 'closed-at-once');
    assert.equal(r.reached, false);
  });
  it('refused, timed out, answered', () => {
    assert.equal(parseLiveProbe("dnd-live rc=1\ntelnet: can't connect to remote host (127.0.0.1): Connection refused").outcome, 'refused');
    assert.equal(parseLiveProbe('dnd-live rc=143\n').outcome, 'timed-out');
    const answered = parseLiveProbe('dnd-live rc=1\nConnected to 172.17.0.3\ndnd-hello\nConnection closed by foreign host');
    assert.deepEqual([answered.outcome, answered.reached], ['answered', true]);
    assert.match(answered.text, /"dnd-hello"/);
  });
  it('no report at all is said, not guessed', () => {
    assert.equal(parseLiveProbe('sh: telnet: not found').outcome, 'failed');
  });
});
