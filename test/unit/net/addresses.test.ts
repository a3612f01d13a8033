// The core's address helpers (src/core/net/addresses.ts): IPv6 syntax as compose's host IPs need it, CIDR arithmetic
// as the compose networks rules and the firewall trace use it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cidrsOverlap, formatCidr, isIPv6, networkOfCidr, parseCidr } from '../../../src/core/net/addresses';

describe('IP syntax', () => {
  it('validates IPv6 addresses', () => {
    for (const ok of ['::', '::1', 'fe80::1', '2001:db8::8:800:200c:417a', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8']) assert.ok(isIPv6(ok), ok);
    for (const no of ['1:2:3', ':::1', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9']) assert.ok(!isIPv6(no), no);
  });
});

describe('CIDR helpers', () => {
  it('overlap, network of, format', () => {
    const c = (t: string) => parseCidr(t)!;
    assert.equal(cidrsOverlap(c('172.29.0.0/16'), c('172.29.5.0/24')), true);
    assert.equal(cidrsOverlap(c('172.29.0.0/16'), c('172.30.0.0/16')), false);
    assert.equal(cidrsOverlap(c('fd00::/64'), c('172.29.0.0/16')), false);
    assert.equal(formatCidr(networkOfCidr(c('172.16.4.0/16'))), '172.16.0.0/16');
    assert.equal(formatCidr(networkOfCidr(c('fd00:1:2:3::5/48'))), 'fd00:1:2::/48');
    assert.equal(formatCidr(c('2001:db8:0:0:1:0:0:1'), false), '2001:db8::1:0:0:1');
  });
});
