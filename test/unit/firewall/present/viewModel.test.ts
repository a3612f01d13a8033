// The firewall view's presenter (src/core/firewall/present/viewModel.ts): the core's trace as the message the webview shows.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseFirewall } from '../../../../src/core/firewall';
import { traceForView } from '../../../../src/core/firewall/present/viewModel';
import { parseToWebview } from '../../../../webview/protocol';
import { fixturePath } from '../../../paths';

const dump = fs.readFileSync(fixturePath('firewall/e20.10-4-all.iptables-save-c.txt'), 'utf8');

describe('firewall view model', () => {
  it('traces into a message the view can show', () => {
    const t = traceForView(parseFirewall(dump), { protocol: 'tcp', port: 18081, from: 'outside' });
    assert.ok(t.steps.length > 0);
    assert.ok(['container', 'docker-proxy', 'host', 'dropped', 'rejected', 'routed-out'].includes(t.verdict.kind));
    assert.ok(parseToWebview({ type: 'trace', trace: t }));
  });
});
