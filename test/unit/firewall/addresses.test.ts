// parseAddressPort reads ports by hand (it runs for every DNAT rule): held to the regex-and-split version it replaced.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseAddressPort } from '../../../src/core/firewall/addresses';

function reference(text: string): { address?: string; ports?: { from: number; to: number } } {
  let address: string | undefined;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    address = text.slice(1, end);
    if (text[end + 1] === ':') portText = text.slice(end + 2);
  } else if (text.split(':').length - 1 === 1) {
    const i = text.indexOf(':');
    address = text.slice(0, i) || undefined;
    portText = text.slice(i + 1);
  } else address = text || undefined;
  const out: { address?: string; ports?: { from: number; to: number } } = {};
  if (address) out.address = address;
  if (portText) {
    const m = /^(\d+)(?:[-:](\d+))?$/.exec(portText);
    if (m) out.ports = { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
  }
  return out;
}

describe('parseAddressPort', () => {
  it('reads like the regex version on a table and on random mixes of address and port characters', () => {
    const table = ['172.17.0.2:80', '172.17.0.2:80-90', '[fd00::2]:80', '[fd00::2]:80:90', '10.0.0.1', ':8080', '', 'fd00::2',
      '1.2.3.4:', '1.2.3.4:80-', '1.2.3.4:-80', '1.2.3.4:0080', '1.2.3.4:12345678901234567890', '1.2.3.4:8a', '[::1]', 'a:b'];
    for (const t of table) assert.deepEqual(parseAddressPort(t), reference(t), t);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const chars = '0123456789:-.[]af';
    for (let k = 0; k < 20_000; k++) {
      let t = '';
      const n = Math.floor(next() * 12);
      for (let j = 0; j < n; j++) t += chars[Math.floor(next() * chars.length)];
      assert.deepEqual(parseAddressPort(t), reference(t), t);
    }
  });
});
