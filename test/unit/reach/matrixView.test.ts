// The reachability matrix view: its data from real rules and engine facts, and its messages checked both ways.
// Rules and facts: e28.5-ufw-1 (Engine 28.5.2 behind ufw, test/fixtures/firewall/README.md), where three containers
// share dnd-fw-app with ICC on, and the real connection from one to another's :80 answered
// (e28.5-ufw-1-truth.txt: "same-network-container (dnd-fw-app) direct to dnd-fw-private 10.207.0.4:80 -> HTTP/1.1 404").
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseFirewall, type EngineFacts } from '../../../src/core/firewall';
import { matrixCell, matrixViewData, type MatrixRequest } from '../../../src/extension/matrix/matrixData';
import { parseFromMatrixView, parseToMatrixView } from '../../../webview/matrix/protocol';
import { fixturePath } from '../../paths';

const read = (name: string) => fs.readFileSync(path.join(fixturePath('firewall'), name), 'utf8');

describe('reachability matrix view data (Engine 28.5.2 behind ufw, e28.5-ufw-1)', () => {
  const req: MatrixRequest = {
    ruleset: parseFirewall(read('e28.5-ufw-1.iptables-save-c.txt')),
    facts: JSON.parse(read('e28.5-ufw-1.engine.json')) as EngineFacts,
    port: 80, protocol: 'tcp', source: 'e28.5-ufw-1',
  };
  const truthSameNetwork = /same-network-container \(dnd-fw-app\) direct to dnd-fw-private \S+ -> HTTP\//.test(read('e28.5-ufw-1-truth.txt'));

  it('grids every ordered pair: on one network with ICC on, each reaches each other\'s :80, as the real connection did', async () => {
    assert.ok(truthSameNetwork, 'the truth file says the same-network connection answered');
    const data = (await matrixViewData(req))!;
    assert.deepEqual(data.containers, ['dnd-fw-private', 'dnd-fw-cache', 'dnd-fw-db']);
    assert.equal(data.reach, '-rrr-rrr-');
    assert.equal(data.omitted, 0);
    assert.ok(parseToMatrixView({ type: 'data', data }), 'the data passes the webview\'s own check');
  });

  it('stops between rows when asked (a newer request came)', async () => {
    let rows = 0;
    assert.equal(await matrixViewData(req, async () => ++rows < 2), undefined);
    assert.equal(rows, 2);
  });

  it('opens a cell: its path on the shared network and the trace that decided', () => {
    const cell = matrixCell(req, 2, 0)!;
    assert.equal(cell.path, '10.207.0.2 → 10.207.0.4:80/tcp');
    assert.equal(cell.via, 'dnd-fw-app');
    assert.equal(cell.reach, 'reachable');
    assert.equal(cell.verdict.kind, 'container');
    assert.ok(cell.steps.length > 0 && cell.steps.every((s) => s.where.length > 0));
    assert.ok(parseToMatrixView({ type: 'cell', cell }));
    assert.equal(matrixCell(req, 1, 1), undefined, 'a container to itself is no cell');
    assert.equal(matrixCell(req, 0, 7), undefined, 'nor one outside the grid');
  });
});

describe('reachability matrix messages', () => {
  it('the panel takes only the messages it knows, with indexes and ports in range', () => {
    assert.deepEqual(parseFromMatrixView({ type: 'openCell', from: 1, to: 2 }), { type: 'openCell', from: 1, to: 2 });
    assert.deepEqual(parseFromMatrixView({ type: 'retrace', port: 53, protocol: 'udp' }), { type: 'retrace', port: 53, protocol: 'udp' });
    for (const bad of [null, 'ready', { type: 'openCell', from: -1, to: 0 }, { type: 'openCell', from: 0.5, to: 1 }, { type: 'openCell', from: 200, to: 1 },
      { type: 'retrace', port: 0, protocol: 'tcp' }, { type: 'retrace', port: 80, protocol: 'sctp' }, { type: 'run', command: 'rm -rf /' }]) {
      assert.equal(parseFromMatrixView(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the page takes only well-formed data: the grid is n² codes', () => {
    const data = { containers: ['a', 'b'], port: 80, protocol: 'tcp', reach: '-rb-', source: 's', omitted: 0 };
    assert.ok(parseToMatrixView({ type: 'data', data }));
    assert.equal(parseToMatrixView({ type: 'data', data: { ...data, reach: '-rb' } }), undefined);
    assert.equal(parseToMatrixView({ type: 'data', data: { ...data, reach: '-rx-' } }), undefined);
    assert.equal(parseToMatrixView({ type: 'data', data: { ...data, containers: ['a', 7] } }), undefined);
    assert.equal(parseToMatrixView({ type: 'status', text: 5 }), undefined);
  });
});
