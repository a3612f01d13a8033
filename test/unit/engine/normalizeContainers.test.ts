// containers-api1.52-shape.derived.json was made from the 1.41 capture with:
//   jq '[.[] | .NetworkSettings.Networks |= (if . then with_entries(.value += {"DNSNames": (if .value.IPAddress != ""
//     then [.key + "-dns", "web"] else null end), "GwPriority": 0, "DriverOpts": null}) else . end)
//     | . + {"ImageManifestDescriptor": null}]'
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { attachmentsByNetwork, buildEngineModel, detachedContainers } from '../../../src/core/engine/buildModel';
import { normalizeContainer, normalizeContainers } from '../../../src/core/engine/normalizeContainers';
import { corpusInspect, engineFixture } from './testFixtures';

for (const file of ['containers-20.10.24-api1.41.json', 'containers-api1.52-shape.derived.json']) {
  describe(`normalizeContainers on ${file}`, () => {
    const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture(file));
    const byName = new Map(model.containers.map((c) => [c.name, c]));

    it('keeps every container, sorted by name, without the leading slash', () => {
      assert.deepEqual(model.containers.map((c) => c.name), ['dnd-fx-host', 'dnd-fx-none', 'dnd-fx-range', 'dnd-fx-stopped', 'dnd-fx-two-nets']);
    });

    it('compacts 202 Ports entries into one UDP range on both families, the loopback port and the exposed port', () => {
      const c = byName.get('dnd-fx-range')!;
      assert.deepEqual(c.bindings.map((b) => `${b.protocol} ${b.hostIps.join()} ${b.hostStart}-${b.hostEnd} → ${b.containerStart}-${b.containerEnd}`),
        ['tcp 127.0.0.1 18080-18080 → 80-80', 'udp 0.0.0.0,:: 40000-40099 → 40000-40099']);
      assert.deepEqual(c.exposed, [{ protocol: 'tcp', containerStart: 9000, containerEnd: 9000 }]);
    });

    it('reads both endpoints of a container on two networks, with IPv6, gateways and MACs', () => {
      const c = byName.get('dnd-fx-two-nets')!;
      assert.deepEqual(c.endpoints.map((e) => [e.networkName, e.ipv4, e.ipv6, e.mac]), [
        ['dnd-fx-app', '10.79.0.3', undefined, '02:42:0a:4f:00:03'],
        ['dnd-fx-dual', '10.78.0.2', 'fd00:78::2', '02:42:0a:4e:00:02'],
      ]);
      const dual = c.endpoints[1]!;
      assert.equal(dual.ipv6Gateway, 'fd00:78::1');
      assert.equal(dual.ipv4PrefixLength, 24);
    });

    it('places containers on networks by id, and a never-started one by name', () => {
      const attachments = attachmentsByNetwork(model);
      const names = (net: string) => (attachments.get(model.networks.find((n) => n.name === net)!.id) ?? []).map((a) => a.container.name);
      assert.deepEqual(names('dnd-fx-app'), ['dnd-fx-range', 'dnd-fx-two-nets']);
      assert.deepEqual(names('dnd-fx-dual'), ['dnd-fx-two-nets']);
      assert.deepEqual(names('bridge'), ['dnd-fx-stopped']);
      assert.deepEqual(names('host'), ['dnd-fx-host']);
      assert.deepEqual(names('none'), ['dnd-fx-none']);
      assert.deepEqual(detachedContainers(model, attachments), []);
    });

    it('gives host, none and never-started containers no address and no bindings', () => {
      for (const name of ['dnd-fx-host', 'dnd-fx-none', 'dnd-fx-stopped']) {
        const c = byName.get(name)!;
        assert.deepEqual(c.bindings, []);
        assert.equal(c.endpoints[0]!.ipv4, undefined);
      }
      assert.equal(byName.get('dnd-fx-stopped')!.state, 'created');
      assert.equal(byName.get('dnd-fx-host')!.networkMode, 'host');
    });
  });
}

describe('normalizeContainers across API versions', () => {
  it('takes DNSNames (API 1.44+) as aliases, without the short container id', () => {
    const model = buildEngineModel([], engineFixture('containers-api1.52-shape.derived.json'));
    const c = model.containers.find((x) => x.name === 'dnd-fx-two-nets')!;
    assert.deepEqual(c.endpoints.map((e) => e.aliases), [['dnd-fx-app-dns', 'web'], ['dnd-fx-dual-dns', 'web']]);
  });

  it('drops the short-id alias list calls of some engines include', () => {
    const c = normalizeContainer({ Id: 'a53e41cf388ad428', Names: ['/x'], NetworkSettings: { Networks: { n: { Aliases: ['web', 'a53e41cf388a'] } } } })!;
    assert.deepEqual(c.endpoints[0]!.aliases, ['web']);
  });

  it('ignores a top-level NetworkSettings.IPAddress (gone in 1.52) and reads only per-network endpoints', () => {
    const c = normalizeContainer({ Id: 'abc', Names: ['/x'], NetworkSettings: { IPAddress: '172.17.0.9', Networks: {} } })!;
    assert.deepEqual(c.endpoints, []);
  });

  it('reads a port entry without IP (old engines) as 0.0.0.0 and skips invalid ones', () => {
    const c = normalizeContainer({ Id: 'abc', Ports: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 0, PublicPort: 1, Type: 'tcp' },
      { PrivatePort: 80, PublicPort: 70000, Type: 'tcp' }, { PrivatePort: 5, Type: 'icmp' }, { PrivatePort: 9000 }, null] })!;
    assert.deepEqual(c.bindings.map((b) => `${b.hostIps.join()}:${b.hostStart}`), ['0.0.0.0:8080']);
    assert.deepEqual(c.exposed, [{ protocol: 'tcp', containerStart: 9000, containerEnd: 9000 }]);
  });
});

describe('normalizeContainers on malformed input', () => {
  it('yields nothing for a body that is not an array, and skips entries without an id', () => {
    assert.deepEqual(normalizeContainers({ message: 'oops' }), []);
    assert.deepEqual(normalizeContainers([null, {}, { Names: ['/x'] }]).length, 0);
  });

  it('tolerates null Names, Ports, Labels, HostConfig and NetworkSettings', () => {
    const [c] = normalizeContainers([{ Id: '0123456789abcdef', Names: null, Ports: null, Labels: null, HostConfig: null, NetworkSettings: null }]);
    assert.equal(c!.name, '0123456789ab');
    assert.equal(c!.networkMode, 'default');
    assert.deepEqual([c!.endpoints, c!.bindings, c!.exposed], [[], [], []]);
  });
});

describe('the engine model and the corpus network inspects', () => {
  it('builds networks from inspect bodies (a superset of list items) next to no containers', () => {
    const raw = [corpusInspect('001-ipv6-bridge-net2-compose.json'), corpusInspect('002-overlay-swarm-manager-stack.json'),
      corpusInspect('003-macvlan-no-parent-default-subnet.json')].flatMap((x) => x as unknown[]);
    const model = buildEngineModel(raw, []);
    assert.equal(model.networks.length, 3);
    assert.deepEqual(model.networks.map((n) => n.driver).sort(), ['bridge', 'macvlan', 'overlay']);
  });
});
