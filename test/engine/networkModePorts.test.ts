// ports-ignored-by-network-mode against the engine: a container that publishes ports with network_mode
// `container:` (what compose's `service:` becomes), `host` and `none`. The product calls the first an error (the
// engine refuses it) and the other two warnings (the ports are dropped, or lead nowhere). Compared with what the
// engine does with the create call, and with what it lists as published afterwards.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { analyzeComposeText } from '../../src/core/compose/analyzeCompose';
import { ENGINE, engineDocker, engineMessage, fact, Made, portBindingsOf, startContainer, TEST_IMAGE, testLabels, uniqueName } from './support';

/** The product's ports-ignored-by-network-mode finding for a service with this network_mode and one port. */
function productFinding(mode: string) {
  const text = `services:\n  app:\n    image: dnd-test/busybox\n    network_mode: "${mode}"\n    ports:\n      - "30280:80"\n  db:\n    image: ` +
    `dnd-test/busybox\n`;
  return analyzeComposeText(text, 'compose.yaml').findings.find((f) => f.code === 'ports-ignored-by-network-mode');
}

describe(`published ports with network_mode container:, host and none on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  after(() => made.removeAll());

  /** POST /containers/create as the docker CLI sends it, keeping the engine's Warnings (dockerode drops them). */
  function create(networkMode: string): Promise<{ Id: string; Warnings?: string[] | null }> {
    const ports = portBindingsOf(['30280:80']);
    return new Promise((resolve, reject) => {
      docker.modem.dial({
        path: '/containers/create?', method: 'POST', options: { _query: { name: uniqueName('dnd-engine-mode') }, _body: {
          Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: testLabels(), ExposedPorts: ports.ExposedPorts,
          HostConfig: { NetworkMode: networkMode, PortBindings: ports.PortBindings },
        } },
        statusCodes: { 201: true, 400: 'bad parameter', 404: 'no such container', 409: 'conflict', 500: 'server error' },
      }, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as { Id: string; Warnings?: string[] | null })));
    });
  }

  async function publishedBy(id: string): Promise<string[]> {
    const [listed] = await docker.listContainers({ all: true, filters: { id: [id] } });
    return (listed?.Ports ?? []).filter((p) => p.PublicPort).map((p) => `${p.IP}:${p.PublicPort}`);
  }

  it(`${ENGINE}: container: refuses published ports; the product reports an error`, async (t) => {
    const target = await startContainer(docker, made, { cmd: ['sleep', '300'] });
    assert.equal(target.error, undefined);
    let refused: string | undefined;
    try {
      const created = await create(`container:${target.container.id}`);
      made.container(docker.getContainer(created.Id));
    } catch (e) {
      refused = engineMessage(e);
    }
    fact(t, `network_mode container: with ports: ${refused ? `refused: ${refused}` : 'created'}`);
    assert.match(refused ?? '', /conflicting options: port publishing and the container type network mode/);
    for (const mode of ['container:abc', 'service:db']) assert.equal(productFinding(mode)?.severity, 'error', mode);
  });

  for (const mode of ['host', 'none']) {
    it(`${ENGINE}: ${mode} takes the container and publishes nothing; the product warns`, async (t) => {
      const created = await create(mode);
      const container = made.container(docker.getContainer(created.Id));
      await container.start();
      const published = await publishedBy(created.Id);
      fact(t, `network_mode ${mode} with ports: created${created.Warnings?.length ? ` with the warning "${created.Warnings.join('; ')}"` : ''}, started, ` +
        `published ${published.join(', ') || 'nothing'}`);
      assert.deepEqual(published, []);
      const finding = productFinding(mode);
      assert.equal(finding?.severity, 'warning');
      assert.match(finding!.message, mode === 'host' ? /compose discards the 1 port entry/ : /has no network, the 1 port entry can never be reached/);
    });
  }
});
