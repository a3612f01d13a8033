// Probe: what published host ports cost on each Docker engine build, measured, for src/core/cost/calibrations.json
// (one row per engine version; docs/calibration.md says what is measured and what differed). For each engine it starts
// a private dockerd with the userland proxy on, measures, stops it, then does the same with the proxy off (each in a
// network namespace of its own, scripts/lib/engine.js), and measures:
//   - docker-proxy processes per published port, without a host IP and with 127.0.0.1;
//   - iptables and ip6tables rule lines per published port and table, on the default bridge and on an IPv6 network;
//   - memory per docker-proxy: RSS and PSS (/proc/<pid>/smaps_rollup), and real memory as PSS + page tables + kernel
//     stacks + the unreclaimable slab it adds (MemAvailable, which other processes move by a GB here, as a cross-check);
//   - `docker run -d` wall time for N published udp ports, fitted to seconds = a * (N / 1000) ^ b.
//   node scripts/probes/calibrate-cost.js [--engines sid,trixie,bookworm] [--write] [--quick]
// Root only (private engines). Takes a while: 1,000 ports on Engine 28.5 take minutes to start. The machine may be
// shared, so the load average is recorded before every timing; compare timings within one run only.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { acquireEngine } = require('../lib/engine');
const { SUITES, engineBin } = require('../lib/engine-builds');
const {
  TABLES, say, round, machineText, EngineUnderTest, measureProcesses, measureRules, measureMemory, measureStartup, fitPower,
} = require('./costMeasures');

const CALIBRATIONS = path.join(__dirname, '..', '..', 'src', 'core', 'cost', 'calibrations.json');
const ABOUT = 'Written by scripts/probes/calibrate-cost.js (see docs/calibration.md); one row per engine measured. Re-run the probe instead of editing.';

function parseArgs(argv) {
  const opts = { engines: [...SUITES].reverse(), write: false, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--write') opts.write = true;
    else if (a === '--quick') opts.quick = true;
    else if (a === '--check') opts.check = true;
    else if (a === '--engines') opts.engines = (argv[++i] || '').split(',').filter(Boolean);
    else if (a.startsWith('--engines=')) opts.engines = a.slice('--engines='.length).split(',').filter(Boolean);
    else throw new Error(`unknown argument ${a} (usage: calibrate-cost.js [--engines sid,trixie,bookworm] [--write] [--quick])`);
  }
  for (const e of opts.engines) if (!SUITES.includes(e)) throw new Error(`unknown engine ${e} (${SUITES.join(', ')})`);
  if (!opts.engines.length) throw new Error('--engines names no engine');
  // a --quick row has no 500/1,000-port points: it must never replace a full one
  if (opts.write && opts.check) throw new Error('--check measures against the table and cannot be combined with --write');
  if (opts.write && opts.quick) throw new Error('--quick is for smoke runs and cannot be combined with --write');
  return opts;
}

function enginePackage(suite) {
  const bin = engineBin(suite);
  const r = spawnSync(bin ? path.join(bin, 'dockerd') : 'dockerd', ['--version'], { encoding: 'utf8' });
  return (r.stdout || '').trim() || null;
}

async function withEngine(suite, userlandProxy, fn) {
  if (interrupted) throw new Error('interrupted');
  const dir = `/tmp/dnd-cal-${suite}${userlandProxy ? '' : 'np'}-${process.pid}`;
  const engine = await acquireEngine({ engine: suite, userlandProxy, dir, requireEngine: true });
  // a signal that came while the engine was starting: stop it here, since the handler did not know it yet
  if (interrupted) { await engine.stop(); throw new Error('interrupted'); }
  if (!engine.private) throw new Error('got an engine from DOCKER_HOST; unset it: the probe needs private engines it can restart with the proxy off');
  current = engine;
  try {
    return await fn(new EngineUnderTest(engine), engine);
  } finally {
    await engine.stop();
    current = undefined;
  }
}
/** The engine running now (the signal handler stops it), and whether a signal asked the probe to stop. */
let current;
let interrupted = false;

/** Runs `fn`, returning its value, or null with a note when it throws (one failed measurement does not end the row). */
async function attempt(what, notes, fn) {
  try {
    return await fn();
  } catch (err) {
    notes.push(`${what}: not measured (${err.message.split('\n')[0]})`);
    say(`  ${what} FAILED: ${err.message}`);
    return null;
  }
}

/**
 * `--check` (the bench's cost-model check, `npm run bench -- costModel`): on the userland-proxy-on engine only,
 * real memory per docker-proxy and `docker run` time at 100 and 500 published ports, as the full probe measures them.
 */
async function checkEngine(suite) {
  return withEngine(suite, true, async (e, engine) => {
    say(`${suite}: Engine ${engine.version}, userland proxy on (check)`);
    const memory = [];
    for (const n of [100, 500]) memory.push(await measureMemory(e, n));
    const startup = await measureStartup(e, [100, 500], true, []);
    return { engine: engine.version, suite, memory: memory.map((m) => ({ ports: m.ports, processes: m.processes, memoryMbPerProcess: m.memoryMbPerProcess,
      loadavg1: m.loadavg1 })), startup: startup.detail.map((d) => ({ ports: d.ports, seconds: d.seconds, loadavg1: d.loadavg1 })) };
  });
}

async function measureEngine(suite, opts) {
  const startupCounts = opts.quick ? [10, 100] : [10, 100, 500, 1000];
  // 500 ports twice: the MemAvailable drop is moved by whatever else runs on the machine, so the row takes the mean
  const memoryCounts = opts.quick ? [100] : [100, 500, 500];
  const notes = [];
  const loadavgs = [];
  const t0 = Date.now();
  const row = { engine: null, suite, api: null, package: enginePackage(suite) };

  const on = await withEngine(suite, true, async (e, engine) => {
    say(`${suite}: Engine ${engine.version}, userland proxy on`);
    row.engine = engine.version;
    row.api = e.docker(['version', '--format', '{{.Server.APIVersion}}']).stdout.trim();
    const processes = await attempt('processes per port', notes, () => measureProcesses(e));
    say('  processes per port:', JSON.stringify(processes));
    const memory = [];
    for (const n of memoryCounts) {
      const m = await attempt(`memory at ${n} ports`, notes, () => measureMemory(e, n));
      say(`  memory at ${n} ports:`, JSON.stringify(m));
      if (m) memory.push(m);
    }
    const rules = await attempt('rules (proxy on)', notes, () => measureRules(e, notes, 'proxy on'));
    say('  rules per port:', rules && JSON.stringify({ v4: rules.bridge.iptables.perPort, v6: rules.ipv6Network.ip6tables.perPort }));
    const startup = await attempt('start-up (proxy on)', notes, () => measureStartup(e, startupCounts, true, loadavgs));
    return { processes, memory, rules, startup };
  });

  const off = await withEngine(suite, false, async (e, engine) => {
    say(`${suite}: Engine ${engine.version}, userland proxy off`);
    const processes = await attempt('processes per port (proxy off)', notes, () => measureProcesses(e));
    const rules = await attempt('rules (proxy off)', notes, () => measureRules(e, notes, 'proxy off'));
    say('  rules per port:', rules && JSON.stringify({ v4: rules.bridge.iptables.perPort, v6: rules.ipv6Network.ip6tables.perPort }));
    const startup = await attempt('start-up (proxy off)', notes, () => measureStartup(e, startupCounts, false, loadavgs));
    return { processes, rules, startup };
  });

  const biggest = on.memory.filter((m) => m.ports === Math.max(...on.memory.map((x) => x.ports)));
  const mean = (key) => biggest.reduce((a, m) => a + m[key], 0) / biggest.length;
  // the MemAvailable estimates (the drop when each container started and what its removal gave back), kept as a
  // cross-check: other processes on a shared machine move single readings by a GB
  const estimates = biggest.flatMap((m) => [m.memAvailableMbPerProcess, m.memAvailableMbPerProcessOnRemove]).filter(Number.isFinite).sort((a, b) => a - b);
  const median = estimates.length ? (estimates[(estimates.length - 1) >> 1] + estimates[estimates.length >> 1]) / 2 : null;
  const memoryRow = biggest.length
    ? { memoryMbPerProcess: mean('memoryMbPerProcess'), rssMbPerProcess: mean('rssMbPerProcess'), pssMbPerProcess: mean('pssMbPerProcess'),
    accountedMbPerProcess: mean('accountedMbPerProcess'), estimates, median } : null;
  if (memoryRow && median !== null && Math.abs(median - memoryRow.memoryMbPerProcess) > 0.25 * memoryRow.memoryMbPerProcess) {
    notes.push(`memory: MemAvailable estimates per process ${estimates.map((x) => round(x)).join(', ')} MB (median ${round(median)}) against `
      + `${round(memoryRow.memoryMbPerProcess)} MB from the processes and slab; other processes on the machine moved MemAvailable`);
  }
  const rulesOf = (r) => (r ? { iptables: r.bridge.iptables.perPort, ip6tables: r.ipv6Network.ip6tables.perPort } : null);
  const startupOf = (s) => (s ? { points: s.points, secondsAt1000: s.secondsAt1000, exponent: s.exponent } : null);
  Object.assign(row, {
    measuredOn: { date: new Date().toISOString().slice(0, 10), machine: machineText(), loadavg: loadavgs },
    command: `node scripts/probes/calibrate-cost.js --engines ${suite} --write`,
    proxy: {
      processesPerPortNoHostIp: on.processes ? round(on.processes.processesPerPortNoHostIp) : null,
      processesPerPortWithHostIp: on.processes ? round(on.processes.processesPerPortWithHostIp) : null,
      memoryMbPerProcess: memoryRow ? round(memoryRow.memoryMbPerProcess) : null,
      rssMbPerProcess: memoryRow ? round(memoryRow.rssMbPerProcess) : null,
      pssMbPerProcess: memoryRow ? round(memoryRow.pssMbPerProcess) : null,
      // PSS + page tables + kernel stacks (memoryMbPerProcess adds the unreclaimable slab growth per process)
      accountedMbPerProcess: memoryRow ? round(memoryRow.accountedMbPerProcess) : null,
      // the MemAvailable drop and release per process at the same runs, and their median: a cross-check
      memAvailableEstimatesMb: memoryRow ? memoryRow.estimates.map((x) => round(x)) : null,
      memAvailableMbPerProcess: memoryRow ? round(memoryRow.median) : null,
    },
    rulesPerPort: { userlandProxy: rulesOf(on.rules), noUserlandProxy: rulesOf(off.rules) },
    startup: { userlandProxy: startupOf(on.startup), noUserlandProxy: startupOf(off.startup) },
    // not read by the product: what the figures above were derived from
    raw: {
      iptablesVersion: spawnSync('iptables', ['-V'], { encoding: 'utf8' }).stdout.trim(),
      memory: on.memory,
      processesWithProxyOff: off.processes,
      rules: { userlandProxy: on.rules, noUserlandProxy: off.rules },
      startup: { userlandProxy: on.startup && on.startup.detail, noUserlandProxy: off.startup && off.startup.detail },
      loadavgOrder: `before each start-up timing: proxy on N=${startupCounts.join(',')}, then proxy off N=${startupCounts.join(',')}`,
      probeSeconds: Math.round((Date.now() - t0) / 1000),
    },
    notes,
  });
  return row;
}

function compareVersions(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

/** JSON with 2-space indent, but arrays of numbers (and [N, s] pairs) kept on one line. */
function formatJson(value) {
  return JSON.stringify(value, null, 2)
    .replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, inner) => `[${inner.split(/,\s*/).join(', ')}]`)
    .replace(/\[\s*((?:\[[^\]\[]*\],?\s*)+)\]/g, (_, inner) => `[${inner.trim().split(/\],\s*/).join('], ')}]`) + '\n';
}

function writeRows(rows) {
  let file = { about: ABOUT, rows: [] };
  if (fs.existsSync(CALIBRATIONS)) file = JSON.parse(fs.readFileSync(CALIBRATIONS, 'utf8'));
  const kept = (file.rows || []).filter((r) => !rows.some((n) => n.engine === r.engine));
  const all = [...kept, ...rows].sort((a, b) => compareVersions(a.engine, b.engine));
  fs.writeFileSync(CALIBRATIONS, formatJson({ about: ABOUT, rows: all }));
  say(`wrote ${rows.length} row(s) to ${path.relative(process.cwd(), CALIBRATIONS)} (${all.length} in all)`);
}

function fmt(x) { return x === null || x === undefined ? '–' : String(x); }

function printTable(rows) {
  const lines = [
    '',
    'engine   | proxies/port (no IP, 127.0.0.1) | MB/proxy real, RSS, PSS | v4 rules/port on, off (nat+filter+raw+mangle) | v6 rules/port on, off | start ' +
      '1000 ports on, off (s, exponent)',
  ];
  for (const r of rows) {
    const rules = (m, tool) => { const x = r.rulesPerPort[m] && r.rulesPerPort[m][tool]; return x ? `${x.total} (${TABLES.map((t) => x[t]).join('+')})`
      : '–'; };
    const st = (m) => { const s = r.startup[m]; return s ? `${fmt(s.secondsAt1000)} s ^${fmt(s.exponent)}` : '–'; };
    lines.push(`${r.engine.padEnd(8)} | ${fmt(r.proxy.processesPerPortNoHostIp)}, ${fmt(r.proxy.processesPerPortWithHostIp)} | `
      + `${fmt(r.proxy.memoryMbPerProcess)}, ${fmt(r.proxy.rssMbPerProcess)}, ${fmt(r.proxy.pssMbPerProcess)} | `
      + `${rules('userlandProxy', 'iptables')}, ${rules('noUserlandProxy', 'iptables')} ` +
        `| ${rules('userlandProxy', 'ip6tables')}, ${rules('noUserlandProxy', 'ip6tables')} | `
      + `${st('userlandProxy')}, ${st('noUserlandProxy')}`);
    for (const m of ['userlandProxy', 'noUserlandProxy']) {
      if (r.startup[m]) lines.push(`         start-up points, ${m}: ${r.startup[m].points.map(([n, s]) => `${n}: ${s} s`).join(', ')}`);
    }
    lines.push(`         load average (1 min) before each timing: ${r.measuredOn.loadavg.join(', ')}`);
    for (const n of r.notes) lines.push(`         note: ${n}`);
  }
  say(lines.join('\n'));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.env.DOCKER_HOST) {
    say('DOCKER_HOST is set: ignoring it (the probe starts private engines of its own)');
    delete process.env.DOCKER_HOST;
  }
  if (opts.check) {
    const checks = [];
    for (const suite of opts.engines) checks.push(await checkEngine(suite));
    process.stdout.write(`${JSON.stringify(checks)}\n`);
    return;
  }
  const t0 = Date.now();
  const rows = [];
  for (const suite of opts.engines) {
    const row = await measureEngine(suite, opts);
    rows.push(row);
    say(`${suite}: done in ${row.raw.probeSeconds} s`);
  }
  printTable(rows);
  say(`probe run time: ${Math.round((Date.now() - t0) / 1000)} s`);
  if (opts.write) writeRows(rows);
}

module.exports = { fitPower };

// `--refit`: recompute every row's fitted curves from its stored points (after a change to fitPower), no engine needed
if (require.main === module && process.argv.includes('--refit')) {
  const table = JSON.parse(fs.readFileSync(CALIBRATIONS, 'utf8'));
  for (const row of table.rows) {
    for (const mode of ['userlandProxy', 'noUserlandProxy']) {
      const curve = row.startup[mode];
      if (curve) Object.assign(curve, fitPower(curve.points));
    }
  }
  fs.writeFileSync(CALIBRATIONS, `${formatJson(table)}\n`);
  say(`refitted ${table.rows.length} rows in ${CALIBRATIONS}`);
} else if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      interrupted = true;
      // with no engine up (one may be starting), main stops what it started and exits through its catch
      if (!current) return;
      say(`${sig}: stopping the engine`);
      current.stop().finally(() => process.exit(130));
    });
  }

  main().catch(async (err) => {
    say(err instanceof Error ? err.stack : String(err));
    if (current) await current.stop().catch(() => {});
    process.exit(1);
  });
}
