#!/usr/bin/env node
// Probe: the hostile-input reproductions, each run through the built CLI as its own process, with its wall time and peak
// memory (GNU time's %e and %M). The target is every repro within 2 s and 500 MB, with one clear finding or error.
//
//   npm run build && node scripts/probes/hostile-repros.js [--keep]
//
// The inputs are generated in a temporary folder (removed afterwards unless --keep) from the issue's descriptions;
// the regression tests are in test/unit/compose/hostileInput.test.ts and test/integration/hostileCompose.test.ts.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
if (!fs.existsSync('/usr/bin/time')) {
  console.error('this probe needs GNU time (/usr/bin/time; Debian package "time")');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-hostile-'));
const write = (name,
  text) => { fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true }); fs.writeFileSync(path.join(dir, name), text); return name; };
const text = (l) => `${l.join('\n')}\n`;
const lines = (...l) => text(l);

function mergeLevels(levels, fanOut) {
  const l = ['x-l0: &l0 {image: nginx}'];
  for (let i = 1; i <= levels; i++) l.push(`x-l${i}: &l${i} {<<: [${Array(fanOut).fill(`*l${i - 1}`).join(',')}]}`);
  l.push('services:', '  web:', `    <<: *l${levels}`);
  return text(l);
}
function servicesOnOnePort(n) {
  const l = ['services:'];
  for (let i = 0; i < n; i++) l.push(`  s${i}:`, '    image: x', '    ports: ["8080:80"]');
  return text(l);
}
function extendsChain(n) {
  const l = ['services:', '  s0:', '    image: base', '    ports: ["8080:80"]'];
  for (let i = 1; i < n; i++) l.push(`  s${i}:`, `    extends: s${i - 1}`);
  return text(l);
}
function anchors(n) {
  const l = ['x-a:'];
  for (let i = 0; i < n; i++) l.push(`  k${i}: &a${i} "${10000 + (i % 50000)}"`);
  l.push('services:', '  web:', '    image: x', '    expose:');
  for (let i = 0; i < n; i++) l.push(`      - *a${i}`);
  return text(l);
}
function megabyteFile() {
  // about 1 MB, a finding on every service (a range that costs proxies), so line and column are computed per finding
  const l = ['services:'];
  for (let i = 0; l.join('\n').length < 1_000_000; i++) l.push(`  s${i}:`, '    image: x',
    `    ports: ["${20000 + (i % 400) * 100}-${20000 + (i % 400) * 100 + 60}:${20000 + (i % 400) * 100}-${20000 + (i % 400) * 100 + 60}"]`);
  return text(l);
}
function chainsJumpingTwice(n) {
  const l = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i <= n; i++) l.push(`:C${i} - [0:0]`);
  l.push('-A INPUT -j C0');
  for (let i = 0; i < n; i++) l.push(`-A C${i} -p tcp -j C${i + 1}`, `-A C${i} -p tcp -j C${i + 1}`);
  l.push('COMMIT');
  return text(l);
}
function manySteps(n) {
  // INPUT with n rules that match the traced packet but decide nothing (no target): a trace step each
  const l = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < n; i++) l.push(`-A INPUT -p tcp -m comment --comment "step ${i}"`);
  l.push('COMMIT');
  return text(l);
}
function deepNftJson(depth) {
  let expr = '{"payload":{"protocol":"tcp","field":"dport"}}';
  for (let i = 0; i < depth; i++) expr = `{"|":[${expr},1]}`;
  return '{"nftables":[{"metainfo":{"json_schema_version":1}},{"table":{"family":"ip","name":"filter","handle":1}},'
    + '{"chain":{"family":"ip","table":"filter","name":"FORWARD","handle":1,"type":"filter","hook":"forward","prio":0,"policy":"drop"}},'
    + `{"rule":{"family":"ip","table":"filter","chain":"FORWARD","handle":2,"expr":[{"match":{"op":"==","left":${expr},"right":80}},{"accept":null}]}}]}\n`;
}

const cases = [];
const add = (item, what, args, input) => cases.push({ item, what, args, input });
const check = (...files) => ['check', ...files];

add('1', '56-byte self merge <<: [*w,*w,*w]', check(write('m/compose.yaml', 'services:\n  web: &w\n    image: nginx\n    <<: [*w,*w,*w]\n')));
add('1', '8 levels x 9 merges (494 B class)', check(write('m8/compose.yaml', mergeLevels(8, 9))));
for (const [name, base] of [['.env', 'env'], ['compose.override.yaml', 'ovr']]) {
  write(`${base}/compose.yaml`, 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n');
  fs.symlinkSync('/dev/zero', path.join(dir, base, name));
  add('2', `${name} -> /dev/zero`, ['check'], undefined);
  cases[cases.length - 1].cwd = path.join(dir, base);
}
write('ext/compose.yaml', 'services:\n  web:\n    extends: {file: base.yaml, service: web}\n');
fs.symlinkSync('/dev/zero', path.join(dir, 'ext', 'base.yaml'));
add('2', 'extends: file: -> /dev/zero', check('ext/compose.yaml'));
write('fifo/compose.yaml', 'services:\n  web:\n    image: nginx\n');
spawnSync('mkfifo', [path.join(dir, 'fifo', '.env')]);
add('2', '.env is a FIFO', ['check']);
cases[cases.length - 1].cwd = path.join(dir, 'fifo');
add('3', 'compact sequences "- - -" 3,000 deep', check(write('d1.yaml', `services:\n  web:\n    image: x\n    ports:\n${'- '.repeat(3000)}x\n`)));
add('3', 'block maps 2,000 deep',
  check(write('d2.yaml', `x-deep:\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} v\nservices:\n  web:\n    image: x\n`)));
add('3', 'nested ${A:-${A:-...}} 5,000 deep',
  check(write('d3.yaml', `services:\n  web:\n    image: x\n    ports: ["${'${A:-'.repeat(5000)}8080${'}'.repeat(5000)}:80"]\n`)));
add('3', '10,000-service extends chain', check(write('d4.yaml', extendsChain(10000))));
add('3', 'nft JSON expressions 5,000 deep', ['firewall', write('d5.json', deepNftJson(5000))]);
add('3', 'trace of more than 120k steps', ['firewall', write('d6.rules', manySteps(150000)), '--trace', 'tcp:8080']);
add('4', '500 services on 8080:80', check(write('c500.yaml', servicesOnOnePort(500))));
add('4', '1,000 services on 8080:80', check(write('c1000.yaml', servicesOnOnePort(1000))));
add('4', '1 MB file, a finding per service', check(write('big.yaml', megabyteFile())));
add('4', '40,000 anchors and aliases', check(write('anchors.yaml', anchors(40000))));
add('4', '3,000 chained extends', check(write('e3000.yaml', extendsChain(3000))));
write('dotenv/compose.yaml', 'services:\n  web:\n    image: x\n    ports: ["${P:-8080}:80"]\n');
write('dotenv/.env', `A=x${' '.repeat(100000)}y\n`);
add('4', '.env A=x + 100,000 spaces + y', ['check']);
cases[cases.length - 1].cwd = path.join(dir, 'dotenv');
add('4', 'nested interpolation braces, 2,000 deep',
  check(write('braces.yaml', `services:\n  web:\n    image: x\n    ports: ["${'${A:-'.repeat(2000)}8080${'}'.repeat(2000)}:80"]\n`)));
add('5', '20 chains x 2 jumps each', ['firewall', write('j20.rules', chainsJumpingTwice(20)), '--trace', 'tcp:80']);
add('5', '30 chains x 2 jumps each', ['firewall', write('j30.rules', chainsJumpingTwice(30)), '--trace', 'tcp:80']);

let worst = { s: 0, mb: 0 };
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs; node ${process.version}`);
console.log('item | repro | exit | wall s | peak MB | output (first line of stderr, or of stdout)');
for (const c of cases) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, ...c.args], {
    cwd: c.cwd ?? dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 30,
  });
  const timeLine = r.stderr.trim().split('\n').pop();
  const [secs, kb] = timeLine.split(' ').map(Number);
  const mb = kb / 1024;
  const stderr = r.stderr.trim().split('\n').slice(0, -1).filter((l) => !l.startsWith('Command exited with')).join('\n');
  const out = `${stderr}\n${r.stdout}`.split('\n').filter((l) => l.trim());
  const first = (c.args.includes('--trace') ? out.find((l) => /^verdict/.test(l)) : undefined)
    ?? out.find((l) => /error|cannot|deeper|limit/i.test(l)) ?? out[0] ?? '';
  const exit = r.error ? `timeout (${r.error.code})` : r.status;
  worst = { s: Math.max(worst.s, secs || 0), mb: Math.max(worst.mb, mb || 0) };
  console.log(`${c.item} | ${c.what} | ${exit} | ${secs} | ${mb.toFixed(0)} | ${first.slice(0, 150)}`);
}
console.log(`worst: ${worst.s} s, ${worst.mb.toFixed(0)} MB (target: 2 s, 500 MB)`);
if (process.argv.includes('--keep')) console.log(`inputs kept in ${dir}`);
else fs.rmSync(dir, { recursive: true, force: true });
