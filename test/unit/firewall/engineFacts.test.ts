// Recorded facts; test/engine/engineModelFacts.test.ts checks the same on each engine of the rig.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildEngineModel } from '../../../src/core/engine/buildModel';
import { engineFactsFromModel } from '../../../src/core/firewall';

describe('engineFactsFromModel', () => {
  it('gives the firewall links one port per host IP of a binding, ranges kept', () => {
    const ports = [40000, 40001, 40002].flatMap((p) => ['0.0.0.0', '::'].map((IP) => ({ IP, PublicPort: p, PrivatePort: p + 10, Type: 'udp' })));
    const model = buildEngineModel([],
      [{ Id: 'abc', Names: ['/web'], Ports: [...ports, { IP: '127.0.0.1', PublicPort: 8080, PrivatePort: 80, Type: 'tcp' }] }]);
    assert.deepEqual(engineFactsFromModel(model).containers[0]!.ports, [
      { hostIp: '127.0.0.1', protocol: 'tcp', hostPort: 8080, containerPort: 80 },
      { hostIp: '0.0.0.0', protocol: 'udp', hostPort: 40000, containerPort: 40010, hostPortEnd: 40002, containerPortEnd: 40012 },
      { hostIp: '::', protocol: 'udp', hostPort: 40000, containerPort: 40010, hostPortEnd: 40002, containerPortEnd: 40012 },
    ]);
  });
});
