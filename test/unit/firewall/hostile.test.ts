// Firewall input made to hurt: work that grew exponentially with the input, recursion as deep as the input, and
// arrays as long as the input spread into a call. Each case was a crash or a blow-up before; the bounds asserted are
// counts of work (steps, rules), which do not depend on the machine (times are in bench/firewall.bench.ts).
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { firewallCommand } from '../../../src/cli/firewallCommand';
import { parseFirewall, traceConnection } from '../../../src/core/firewall';
import { MAX_EXPRESSION_DEPTH } from '../../../src/core/firewall/nftJson';
import { MAX_STEPS } from '../../../src/core/firewall/trace';

/** `*filter` with INPUT jumping to C1, and C1…C(n-1) each jumping to the next chain `jumps` times. */
export function repeatedJumps(chains: number, jumps: number): string {
  const lines = ['*filter', ':INPUT ACCEPT [0:0]'];
  for (let i = 1; i <= chains; i++) lines.push(`:C${i} - [0:0]`);
  lines.push('-A INPUT -j C1');
  for (let i = 1; i < chains; i++) for (let j = 0; j < jumps; j++) lines.push(`-A C${i} -j C${i + 1}`);
  lines.push(`-A C${chains} -p tcp --dport 22 -j DROP`, 'COMMIT');
  return `${lines.join('\n')}\n`;
}

const fromOutside = (port: number) => ({ protocol: 'tcp' as const, port, from: 'outside' });

describe('the trace on chains that jump to the same chain more than once', () => {
  it('walks 20 chains of 2 jumps each (816 bytes) in linear steps, with the verdicts of a full walk', () => {
    const text = repeatedJumps(20, 2);
    assert.ok(text.length < 900);
    const r = parseFirewall(text);
    const open = traceConnection(r, fromOutside(80));
    // 2^20 steps (808 MB in the view) before; now one step per rule at most
    assert.ok(open.steps.length <= r.ruleCount + 2, `${open.steps.length} steps for ${r.ruleCount} rules`);
    assert.equal(open.verdict.kind, 'host');
    assert.ok(open.steps.some((s) => /walked before for this packet/.test(s.text)), 'the repeated jump says it was not repeated');
    // the DROP at the end of the chain is found by the first walk, as the kernel would
    const ssh = traceConnection(r, fromOutside(22));
    assert.equal(ssh.verdict.kind, 'dropped');
    assert.equal(ssh.verdict.ruleId, 'ipv4/filter/C20#1');
  });

  it('gives the same verdict and path as chains that jump once, for the first walk', () => {
    const twice = traceConnection(parseFirewall(repeatedJumps(6, 2)), fromOutside(22));
    const once = traceConnection(parseFirewall(repeatedJumps(6, 1)), fromOutside(22));
    assert.deepEqual(twice.verdict, once.verdict);
    assert.deepEqual(twice.steps.map((s) => s.text), once.steps.map((s) => s.text));
  });

  it('stops a chain that jumps to itself twice at the depth limit, in polynomial steps', () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n:C1 - [0:0]\n:C2 - [0:0]\n-A INPUT -j C1\n-A C1 -j C1\n-A C1 -j C2\n-A C1 -j C1\n-A C2 -j C1\n-A C2 -j ' +
      'C1\nCOMMIT\n';
    const t = traceConnection(parseFirewall(text), fromOutside(80));
    assert.ok(t.steps.length < 1000, `${t.steps.length} steps`);
    assert.ok(t.assumptions.some((a) => /jumps nested deeper than 64 at C1/.test(a)));
    assert.equal(new Set(t.assumptions).size, t.assumptions.length, 'each assumption once');
  });

  it('ends a trace of more than MAX_STEPS steps and says so', () => {
    const lines = ['*filter', ':INPUT ACCEPT [0:0]'];
    for (let i = 0; i < MAX_STEPS + 10; i++) lines.push('-A INPUT -j LOG');
    const t = traceConnection(parseFirewall(`${lines.join('\n')}\nCOMMIT\n`), fromOutside(80));
    assert.ok(t.steps.length <= MAX_STEPS + 1);
    assert.ok(t.assumptions.some((a) => a.startsWith(`the trace stopped after ${MAX_STEPS} steps`)));
  });
});

describe('nft -j expressions nested 5,000 deep', () => {
  const left = `${'{"concat":['.repeat(5000)}{"payload":{"protocol":"tcp","field":"dport"}}${']}'.repeat(5000)}`;
  const right = `${'{"set":['.repeat(5000)}80${']}'.repeat(5000)}`;
  const json = `{"nftables":[{"table":{"family":"ip","name":"t"}},{"chain":{"family":"ip","table":"t","name":"c"}},`
    + `{"rule":{"family":"ip","table":"t","chain":"c","expr":[{"match":{"op":"==","left":${left},"right":${right}}},{"accept":null}]}},`
    + `{"rule":{"family":"ip","table":"t","chain":"c","expr":[{"limit":${right}},{"drop":null}]}},`
    + `{"rule":{"family":"ip","table":"t","chain":"c","expr":[{"counter":null},{"accept":null}]}}]}`;

  it('reads them to a limit and reports each rule it cut, at the rule\'s line', () => {
    const r = parseFirewall(json);
    assert.deepEqual(r.formats, ['nft-json']);
    assert.equal(r.ruleCount, 3);
    const deep = r.diagnostics.filter((d) => d.message.includes(`nested deeper than ${MAX_EXPRESSION_DEPTH} levels`));
    const rules = r.tables[0]!.chains[0]!.rules;
    assert.deepEqual(deep.map((d) => d.line), [rules[0]!.line, rules[1]!.line]);
    // what could not be read is not taken for a match: the rules are assumed not to match, the plain one decides
    assert.equal(rules[0]!.action.kind, 'accept');
    assert.ok(rules[0]!.matches.unknown?.length);
    assert.equal(rules[2]!.matches.unknown, undefined);
  });

  it('keeps a line break in a name or comment from starting a line of the text', () => {
    const evil = JSON.stringify({ nftables: [{ table: { family: 'ip', name: 't' } }, { chain: { family: 'ip', table: 't', name: 'c' } },
      { rule: { family: 'ip', table: 't', chain: 'c', expr: [{ accept: null }], comment: 'x\n}\n}\ntable ip evil {\nchain d {' } }] });
    const r = parseFirewall(evil);
    assert.deepEqual(r.tables.map((t) => t.name), ['t']);
    assert.equal(r.ruleCount, 1);
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('the CLI with a trace of more steps than a call takes arguments', () => {
  it('prints a 130,000-step trace (a spread of its lines overflowed the stack)', async () => {
    const lines = ['*filter', ':INPUT ACCEPT [0:0]'];
    for (let i = 0; i < 130_000; i++) lines.push('-A INPUT -j LOG');
    const stdin = new PassThrough();
    stdin.end(`${lines.join('\n')}\nCOMMIT\n`);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => { out += String(c); });
    const code = await firewallCommand.run(['-', '--trace', 'tcp:80'], { stdout, stderr: new PassThrough(), stdin, cwd: '/', env: {} });
    assert.equal(code, 0);
    const stepLines = out.split('\n').filter((l) => l.includes('LOG (does not decide)'));
    assert.equal(stepLines.length, 130_000);
    assert.match(out, /^verdict: host: /m);
  });
});
