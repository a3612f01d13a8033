import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isConnectable } from '../../../src/core/engine/connectable';
import type { NetworkModel } from '../../../src/core/engine/model';

const network = (over: Partial<NetworkModel>): NetworkModel => ({ driver: 'bridge', scope: 'local', attachable: false, ...over } as NetworkModel);

describe('isConnectable', () => {
  it('takes bridges and attachable swarm networks, not host, none or other swarm networks', () => {
    assert.equal(isConnectable(network({})), true);
    assert.equal(isConnectable(network({ driver: 'host' })), false);
    assert.equal(isConnectable(network({ driver: 'null' })), false);
    assert.equal(isConnectable(network({ driver: 'overlay', scope: 'swarm' })), false);
    assert.equal(isConnectable(network({ driver: 'overlay', scope: 'swarm', attachable: true })), true);
  });
});
