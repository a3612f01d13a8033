import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import type { ComposeAnalysisOptions } from '../../../src/core/compose/analyzeCompose';
import type { FindingCode } from '../../../src/core/compose/findings';
import { chooseCalibration } from '../../../src/core/cost/calibration';
import { hostFirewallOf, parseFirewall } from '../../../src/core/firewall';
import { fixturePath } from '../../paths';

const compose = (services: string, tail = '') => `services:\n${services}${tail}`;
const codes = (text: string, code: FindingCode, options: ComposeAnalysisOptions = {}) =>
  analyzeComposeText(text, 'compose.yaml', options).findings.filter((f) => f.code === code);
const at = (text: string, f: { range: { start: number; end: number } }) => text.slice(f.range.start, f.range.end);

describe('port-range-proxy-cost', () => {
  const big = compose('  turn:\n    ports:\n      - "40000-50000:40000-50000/udp"\n      - "3478:3478"\n');

  it('counts ports × families and gives the cost with numbers on the ports: key', () => {
    const [f] = codes(big, 'port-range-proxy-cost');
    assert.ok(f);
    assert.equal(at(big, f), 'ports');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /10,002 host ports → 20,004 docker-proxy · ~\d+ GB · ~20,004 iptables rules/);
    assert.match(f.message, /; Engine 28\.5 figures \(newest calibration; no engine connected\); assumes the userland proxy is on/);
    const [on20] = codes(big, 'port-range-proxy-cost', { calibration: chooseCalibration({ engineVersion: '20.10.24' }) });
    assert.match(on20!.message, /10,002 host ports → 20,004 docker-proxy · ~\d+ GB · ~30,006 iptables rules.*; Engine 20\.10 figures;/);
    assert.equal(f.fixes[0]?.title, 'Use host network for turn');
    assert.equal(f.fixes[0]?.isPreferred, true);
  });

  it('counts a host IP once and says when the engine reported the proxy off', () => {
    const text = compose('  a:\n    ports:\n      - "127.0.0.1:5000-5199:5000-5199"\n');
    const [f] = codes(text, 'port-range-proxy-cost', { userlandProxy: false, calibration: chooseCalibration({ engineVersion: '28.5.2' }) });
    const off = chooseCalibration({ engineVersion: '28.5.2' }).row.rulesPerPort.noUserlandProxy?.iptables;
    assert.match(f!.message, off ? new RegExp(`200 host ports → no docker-proxy \\(userland proxy off\\) · ~${200 * off.total} iptables rules`)
      : /200 host ports → no docker-proxy \(userland proxy off\)/);
    assert.match(f!.message, /; Engine 28\.5 figures\. Threshold/);
    assert.doesNotMatch(f!.message, /assumes/);
  });

  it('is quiet below the threshold, and the threshold is an option', () => {
    const text = compose('  ftp:\n    ports:\n      - "30000-30009:30000-30009"\n');
    assert.equal(codes(text, 'port-range-proxy-cost').length, 0);
    assert.equal(codes(text, 'port-range-proxy-cost', { proxyCostThresholdPorts: 10 }).length, 1);
  });

  it('is off when configured off, and a severity can be changed', () => {
    assert.equal(codes(big, 'port-range-proxy-cost', { severities: { 'port-range-proxy-cost': 'off' } }).length, 0);
    assert.equal(codes(big, 'port-range-proxy-cost', { severities: { 'port-range-proxy-cost': 'error' } })[0]?.severity, 'error');
  });

  it('does not count ports discarded by network_mode: host', () => {
    const text = compose('  a:\n    network_mode: host\n    ports:\n      - "1-65535:1-65535"\n');
    assert.equal(codes(text, 'port-range-proxy-cost').length, 0);
  });
});

describe('host-port-conflict', () => {
  it('finds two services on the same host port, reported on the later one', () => {
    const text = compose('  a:\n    ports:\n      - "8080:80"\n  b:\n    ports:\n      - "8080:81"\n');
    const f = codes(text, 'host-port-conflict');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.service, 'b');
    assert.equal(at(text, f[0]!), '"8080:81"');
    assert.equal(at(text, f[0]!.related[0]!), '"8080:80"');
    assert.match(f[0]!.message, /host port 8080\/tcp .* also published by a .*port is already allocated/);
  });

  it('finds overlapping ranges and names the overlap', () => {
    const text = compose('  a:\n    ports:\n      - "8092-8094:80-82"\n  b:\n    ports:\n      - "8094-8100:8094-8100"\n');
    const [f] = codes(text, 'host-port-conflict');
    assert.match(f!.message, /host port 8094\/tcp/);
  });

  it('follows the engine: 0.0.0.0 and [::] do not clash; unspecified clashes with both; wildcard clashes with a specific address', () => {
    const pair = (x: string, y: string) => codes(compose(`  a:\n    ports:\n      - "${x}"\n  b:\n    ports:\n      - "${y}"\n`), 'host-port-conflict').length;
    assert.equal(pair('0.0.0.0:8081:80', '[::]:8081:80'), 0);
    assert.equal(pair('8082:80', '[::]:8082:80'), 1);
    assert.equal(pair('0.0.0.0:8083:80', '8083:80'), 1);
    assert.equal(pair('127.0.0.1:8084:80', '8084:80'), 1);
    assert.equal(pair('127.0.0.1:8086:80', '127.0.0.2:8086:80'), 0);
    assert.equal(pair('8087:80', '8087:80/udp'), 0);
    assert.equal(pair('[::1]:8088:80', '127.0.0.1:8088:80'), 0);
    assert.equal(pair('[::]:8089:80', '[::1]:8089:80'), 1);
    assert.equal(pair('[::]:8090:80', '127.0.0.1:8090:80'), 0);
    assert.equal(pair('8000:80', '8001:80'), 0);
    assert.equal(pair('8000:80', '8000'), 0); // container-only: ephemeral host port
  });

  it('without the userland proxy the same pairs clash, but IPv6 ones only on networks with IPv6', () => {
    // measured on Engine 20.10.24 and 28.5.2 with --userland-proxy=false (test/engine/hostPortClashProxyOff.test.ts):
    // dockerd binds the host ports itself; a container on a network without IPv6 gets no IPv6 bindings at all
    const pair = (x: string, y: string, tail = '') => codes(compose(`  a:\n    ports:\n      - "${x}"\n  b:\n    ports:\n      - "${y}"\n`, tail),
      'host-port-conflict', { userlandProxy: false }).length;
    assert.equal(pair('127.0.0.1:8084:80', '8084:80'), 1);
    assert.equal(pair('127.0.0.1:8091:80', '0.0.0.0:8091:80'), 1);
    assert.equal(pair('127.0.0.1:8086:80', '127.0.0.2:8086:80'), 0);
    assert.equal(pair('8082:80', '[::]:8082:80'), 0);
    assert.equal(pair('[::]:8089:80', '[::1]:8089:80'), 0);
    const v6 = 'networks:\n  default:\n    enable_ipv6: true\n';
    assert.equal(pair('8082:80', '[::]:8082:80', v6), 1);
    assert.equal(pair('[::]:8089:80', '[::1]:8089:80', v6), 1);
    const external = 'networks:\n  default:\n    external: true\n    name: shared\n';
    assert.equal(pair('[::]:8089:80', '[::1]:8089:80', external), 1, 'an external network may have IPv6: as with the proxy');
  });

  it('gives the error the connected engine gives: Engine 28 refuses a wildcard next to an address in its allocator', () => {
    const text = compose('  a:\n    ports:\n      - "127.0.0.1:8084:80"\n  b:\n    ports:\n      - "8084:80"\n');
    const message = (engineVersion?: string) => codes(text, 'host-port-conflict', { engineVersion })[0]!.message;
    assert.match(message('28.5.2'), /fails with "port is already allocated" \(a wildcard address and a specific one share the port\)/);
    assert.match(message('20.10.24+dfsg1'), /fails with "address already in use" \(a wildcard address and a specific one cannot both be bound\)/);
    assert.match(message('26.1.5'), /"address already in use"/);
    assert.match(message(undefined), /"address already in use" \(Engine 27 and older\) or "port is already allocated" \(Engine 28 and later\)/);
    const same = compose('  a:\n    ports:\n      - "8080:80"\n  b:\n    ports:\n      - "8080:80"\n');
    for (const v of ['20.10.24', '28.5.2', undefined]) {
      assert.match(codes(same, 'host-port-conflict', { engineVersion: v })[0]!.message, /fails with "port is already allocated"\.$/);
    }
    const running = [{ container: 'other', hostIp: '127.0.0.1', protocol: 'tcp' as const, hostPorts: { start: 8084, end: 8084 } }];
    const web = compose('  web:\n    ports:\n      - "8084:80"\n');
    assert.match(codes(web, 'host-port-conflict', { runningBindings: running, engineVersion: '28.5.2' })[0]!.message,
      /starting web fails with "port is already allocated"/);
  });

  it('offers "Remove the duplicate port" for a duplicate in one service', () => {
    const text = compose('  a:\n    ports:\n      - "8080:80"\n      - "8080:80"\n');
    const [f] = codes(text, 'host-port-conflict');
    assert.match(f!.message, /published twice by a: a duplicate entry/);
    assert.equal(f!.fixes[0]?.title, 'Remove the duplicate port');
    assert.equal(f!.fixes[0]?.isPreferred, true);
  });

  it('skips services in profiles that never run together', () => {
    const text = compose('  a:\n    profiles: [x]\n    ports: ["80:80"]\n  b:\n    profiles: [y]\n    ports: ["80:80"]\n');
    assert.equal(codes(text, 'host-port-conflict').length, 0);
    assert.equal(codes(text, 'host-port-conflict', { activeProfiles: ['x', 'y'] }).length, 1);
  });

  it('finds a clash with a running container, but not with this service\'s own container', () => {
    const text = compose('  web:\n    ports:\n      - "8080:80"\n');
    const running = [{ container: 'other', hostIp: '0.0.0.0', protocol: 'tcp' as const, hostPorts: { start: 8000, end: 8100 } }];
    const [f] = codes(text, 'host-port-conflict', { runningBindings: running });
    assert.match(f!.message, /already published by running container "other"/);
    const own = [{ ...running[0]!, composeProject: 'p', composeService: 'web' }];
    assert.equal(codes(text, 'host-port-conflict', { runningBindings: own, projectName: 'p' }).length, 0);
    const v6 = [{ container: 'v6', hostIp: '::1', protocol: 'tcp' as const, hostPorts: { start: 8080, end: 8080 } }];
    assert.equal(codes(compose('  web:\n    ports:\n      - "127.0.0.1:8080:80"\n'), 'host-port-conflict', { runningBindings: v6 }).length, 0);
  });
});

describe('ports-ignored-by-network-mode', () => {
  const mode = (m: string, ports = '    ports:\n      - "80:80"\n') => codes(compose(`  a:\n    network_mode: "${m}"\n${ports}`),
    'ports-ignored-by-network-mode');
  it('warns for host and none, errors for service: and container:', () => {
    assert.equal(mode('host')[0]?.severity, 'warning');
    assert.equal(mode('none')[0]?.severity, 'warning');
    assert.equal(mode('service:db')[0]?.severity, 'error');
    assert.equal(mode('container:abc')[0]?.severity, 'error');
    assert.match(mode('host')[0]!.message, /discards the 1 port entry of a/);
  });
  it('is quiet without ports or with a bridge mode', () => {
    assert.equal(mode('host', '').length, 0);
    assert.equal(mode('bridge').length, 0);
  });
  it('a configured severity wins over the per-mode default', () => {
    const text = compose('  a:\n    network_mode: "service:db"\n    ports: ["80:80"]\n');
    assert.equal(codes(text, 'ports-ignored-by-network-mode', { severities: { 'ports-ignored-by-network-mode': 'info' } })[0]?.severity, 'info');
  });
});

describe('published-port-unreachable', () => {
  it('fires for a service only on internal or macvlan/ipvlan networks', () => {
    const text = compose('  db:\n    ports: ["5432:5432"]\n    networks: [back, lan]\n',
      '\nnetworks:\n  back:\n    internal: true\n  lan:\n    driver: macvlan\n');
    const [f] = codes(text, 'published-port-unreachable');
    assert.match(f!.message, /back \(internal: true\), lan \(driver macvlan\)/);
    assert.deepEqual(f!.related.map((r) => at(text, r)), ['back', 'lan']);
  });
  it('fires for an internal default network', () => {
    assert.equal(codes(compose('  a:\n    ports: ["80:80"]\n', '\nnetworks:\n  default:\n    internal: true\n'), 'published-port-unreachable').length, 1);
  });
  it('is quiet with one reachable network, an external one, or no definitions', () => {
    assert.equal(codes(compose('  a:\n    ports: ["80:80"]\n    networks: [back, front]\n', '\nnetworks:\n  back:\n    internal: true\n  front: {}\n'),
      'published-port-unreachable').length, 0);
    assert.equal(codes(compose('  a:\n    ports: ["80:80"]\n    networks: [x]\n', '\nnetworks:\n  x:\n    external: true\n'),
      'published-port-unreachable').length, 0);
    assert.equal(codes(compose('  a:\n    ports: ["80:80"]\n'), 'published-port-unreachable').length, 0);
  });
});

describe('port-range-length-mismatch and invalid-port', () => {
  it('marks the exact characters', () => {
    const text = compose('  a:\n    ports:\n      - "9000-9001:80-82"\n      - 8080:99999\n      - "80:80/tcpx"\n');
    const [m] = codes(text, 'port-range-length-mismatch');
    assert.equal(at(text, m!), '9000-9001:80-82');
    assert.match(m!.message, /2 ports .* 3/);
    assert.deepEqual(codes(text, 'invalid-port').map((f) => at(text, f)), ['99999', 'tcpx']);
  });
  it('accepts valid entries silently, including a host range to one container port', () => {
    const text = compose('  a:\n    ports:\n      - "9000-9001:80-81"\n      - "8000-8010:80"\n');
    assert.equal(codes(text, 'port-range-length-mismatch').length + codes(text, 'invalid-port').length, 0);
  });
});

describe('published-on-all-interfaces (off by default)', () => {
  const text = compose('  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n      - "127.0.0.1:5433:5433"\n');
  it('is off unless enabled', () => {
    assert.equal(codes(text, 'published-on-all-interfaces').length, 0);
  });
  it('when enabled, flags only entries without a host IP or on a wildcard, and suggests 127.0.0.1 for internal-looking services', () => {
    const f = codes(text, 'published-on-all-interfaces', { severities: { 'published-on-all-interfaces': 'info' } });
    assert.deepEqual(f.map((x) => at(text, x)), ['"5432:5432"']);
    assert.match(f[0]!.message, /looks internal/);
    assert.deepEqual(f[0]!.fixes.map((x) => [x.title, x.isPreferred]), [['Bind to 127.0.0.1', true]]);
  });
});

describe('published-on-all-interfaces where the engine\'s host runs ufw', () => {
  // the firewall as the extension finds it: from the rules the firewall view read on a real host (ufw 0.36.2 in front
  // of Engine 28.5.2, test/fixtures/firewall/e28.5-ufw-1.*, where 5432 on 0.0.0.0 answered from outside)
  const ruleset = parseFirewall(fs.readFileSync(fixturePath('firewall', 'e28.5-ufw-1.iptables-save-c.txt'), 'utf8'));
  const firewall = hostFirewallOf(ruleset);
  const text = compose('  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n      - "127.0.0.1:5433:5433"\n');
  it('is on (a warning) and names ufw; the entry bound to 127.0.0.1 is not flagged', () => {
    assert.equal(firewall.kind, 'ufw');
    const a = analyzeComposeText(text, 'c.yaml', { hostFirewall: firewall.name });
    const f = a.findings.filter((x) => x.code === 'published-on-all-interfaces');
    assert.deepEqual(f.map((x) => [at(text, x), x.severity]), [['"5432:5432"', 'warning']]);
    assert.match(f[0]!.message, /this engine's host runs ufw; Docker's rules bypass it/);
    assert.deepEqual(f[0]!.fixes.map((x) => x.title), ['Bind to 127.0.0.1']);
  });
  it('stays as the user set it: off is off, info is info', () => {
    assert.equal(codes(text, 'published-on-all-interfaces', { hostFirewall: 'ufw', severities: { 'published-on-all-interfaces': 'off' } }).length, 0);
    const info = analyzeComposeText(text, 'c.yaml', { hostFirewall: 'ufw', severities: { 'published-on-all-interfaces': 'info' } });
    assert.deepEqual(info.findings.filter((x) => x.code === 'published-on-all-interfaces').map((x) => x.severity), ['info']);
  });
});

describe('invalid-compose-file', () => {
  it('reports several documents in one file as an error and analyses the first', () => {
    const text = 'services:\n  a:\n    ports: ["80:80"]\n---\nservices:\n  b: {}\n';
    const a = analyzeComposeText(text, 'c.yaml');
    const f = a.findings.filter((x) => x.code === 'invalid-compose-file');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /2 YAML documents/);
    assert.deepEqual([...a.project.services.keys()], ['a']);
  });
  it('reports YAML syntax errors without throwing', () => {
    const a = analyzeComposeText('services:\n  a:\n    ports: ["80:80"\n', 'c.yaml');
    assert.ok(a.findings.some((x) => x.code === 'invalid-compose-file'));
  });
});
