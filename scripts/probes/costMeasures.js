// The measurements scripts/probes/calibrate-cost.js makes on one engine under test: docker-proxy processes, rule
// lines, memory and `docker run` time per published port, and the power-law fit of the start-up times
// (docs/calibration.md says what each measures and why).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const { TEST_IMAGE, TEST_LABEL } = require('../lib/engine');

const TABLES = ['nat', 'filter', 'raw', 'mangle'];
/** Port counts for the rule measurements: two, so a per-container constant shows up as a disagreement. */
const RULE_PORT_COUNTS = [10, 100];
const FIRST_PORT = 40000;
const MB = 1e6;
const dockerTimeoutMs = 30 * 60 * 1000;
const settleTimeoutMs = 5 * 60 * 1000;

function say(...args) { process.stderr.write(`${args.join(' ')}\n`); }

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(predicate, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

const round = (x, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

function loadavg1() {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** A /proc/meminfo field in bytes: the median of a few reads, since other processes on the machine move it. */
async function meminfoBytes(field, samples = 5) {
  const reads = [];
  for (let i = 0; i < samples; i++) {
    if (i) await sleep(200);
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    reads.push(Number(m[1]) * 1024);
  }
  return reads.sort((a, b) => a - b)[Math.floor(reads.length / 2)];
}
const memAvailableBytes = (samples) => meminfoBytes('MemAvailable', samples);

function machineText() {
  const osRelease = fs.readFileSync('/etc/os-release', 'utf8');
  const pretty = (/^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease) || [])[1] || 'Linux';
  const gib = os.totalmem() / 2 ** 30;
  return `${pretty}, Linux ${os.release()}, ${os.cpus().length} CPUs, ${gib.toFixed(1)} GiB RAM`;
}

/** One engine under measurement: its docker CLI, its namespace's firewall and its docker-proxy processes. */
class EngineUnderTest {
  constructor(engine) {
    this.engine = engine;
    this.netnsInode = fs.statSync(engine.netns.path).ino;
    this.labelArgs = ['--label', `${TEST_LABEL}=${engine.runId}`];
    this.seq = 0;
  }

  docker(args, { allowFail = false } = {}) {
    const r = spawnSync('docker', ['-H', this.engine.host, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: dockerTimeoutMs });
    if (!allowFail && (r.error || r.status !== 0)) {
      throw new Error(`docker ${args.slice(0, 3).join(' ')} …: ${r.error ? r.error.message : (r.stderr || '').trim()}`);
    }
    return r;
  }

  /** `-p FROM-TO:FROM-TO[/udp]`, optionally on `hostIp`. */
  static portRange(from, count, { protocol = 'tcp', hostIp } = {}) {
    const range = count === 1 ? `${from}` : `${from}-${from + count - 1}`;
    return ['-p', `${hostIp ? `${hostIp}:` : ''}${range}:${range}${protocol === 'tcp' ? '' : `/${protocol}`}`];
  }

  /** Starts a busybox container that sleeps; returns its id, IP addresses and the wall time of `docker run -d`. */
  run(portArgs, { network } = {}) {
    const name = `dnd-cal-${this.engine.runId}-${++this.seq}`;
    const args = ['run', '-d', '--name', name, ...this.labelArgs, ...(network ? ['--network', network] : []), ...portArgs, TEST_IMAGE, 'sleep', '86400'];
    const t0 = process.hrtime.bigint();
    const r = this.docker(args);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const id = r.stdout.trim();
    const networks = JSON.parse(this.docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', id]).stdout);
    const ep = Object.values(networks)[0];
    return { id, name, seconds, ip: ep.IPAddress, ip6: ep.GlobalIPv6Address || undefined };
  }

  async remove(c) {
    this.docker(['rm', '-f', '-v', c.id]);
    await waitUntil(() => this.proxyPids().length === 0, settleTimeoutMs, 'the docker-proxy processes to exit');
  }

  /** docker-proxy processes in this engine's namespace, forwarding to `containerIps` (any when omitted). */
  proxyPids(containerIps) {
    const pids = [];
    const want = `net:[${this.netnsInode}]`;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let argv;
      let ns;
      try {
        argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (!argv[0] || !argv[0].endsWith('docker-proxy')) continue;
        ns = fs.readlinkSync(`/proc/${pid}/ns/net`);
      } catch {
        continue; // exited meanwhile
      }
      if (ns !== want) continue; // another engine's (other agents run engines of their own)
      if (containerIps && !containerIps.includes(argv[argv.indexOf('-container-ip') + 1])) continue;
      pids.push(Number(pid));
    }
    return pids;
  }

  /** Rule lines (`-A`, not chain declarations) per table in the engine's namespace, from iptables-save or ip6tables-save. */
  ruleLines(tool) {
    const r = spawnSync('nsenter', [`--net=${this.engine.netns.path}`, '--', tool], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error || r.status !== 0) throw new Error(`${tool} in ${this.engine.netns.name}: ${r.error ? r.error.message : r.stderr}`);
    const lines = [];
    let table;
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1).trim();
      else if (line.startsWith('-A ') && TABLES.includes(table)) lines.push(`${table} ${line}`);
    }
    return lines;
  }

  /** { iptables, ip6tables }: rule counts per table, and the lines themselves (`<table> -A …`). */
  rules() {
    const out = { lines: {} };
    for (const [tool, save] of [['iptables', 'iptables-save'], ['ip6tables', 'ip6tables-save']]) {
      const lines = this.ruleLines(save);
      out.lines[tool] = lines;
      out[tool] = Object.fromEntries(TABLES.map((t) => [t, lines.filter((l) => l.startsWith(`${t} `)).length]));
    }
    return out;
  }

  createIpv6Network() {
    const name = `dnd-cal-v6-${this.engine.runId}-${++this.seq}`;
    this.docker(['network', 'create', ...this.labelArgs, '--ipv6', '--subnet', `fd00:dd:${this.seq.toString(16)}::/64`, name]);
    return name;
  }
}

/** Per-table difference of two rule counts, divided by `ports`, with a total. */
function perPort(withPorts, base, ports) {
  const out = {};
  let total = 0;
  for (const t of TABLES) {
    out[t] = (withPorts[t] - base[t]) / ports;
    total += out[t];
  }
  out.total = total;
  return out;
}

function sameCounts(a, b) {
  return TABLES.every((t) => Math.abs(a[t] - b[t]) < 1e-9);
}

/** docker-proxy processes per published port, without a host IP and with 127.0.0.1 (5 ports each). */
async function measureProcesses(e) {
  const ports = 5;
  const out = {};
  for (const [key, hostIp] of [['processesPerPortNoHostIp', undefined], ['processesPerPortWithHostIp', '127.0.0.1']]) {
    const c = e.run(EngineUnderTest.portRange(FIRST_PORT, ports, { hostIp }));
    const atReturn = e.proxyPids([c.ip, c.ip6].filter(Boolean)).length;
    await sleep(1000);
    const later = e.proxyPids([c.ip, c.ip6].filter(Boolean)).length;
    await e.remove(c);
    out[key] = later / ports;
    if (atReturn !== later) out[`${key}Note`] = `${atReturn} processes when docker run returned, ${later} a second later`;
  }
  return out;
}

/**
 * Rule lines per published port, per table: (rules with N ports − rules with no container) / N for each N in
 * RULE_PORT_COUNTS, on the default bridge and on an IPv6 network, for iptables and ip6tables. The reported figure is
 * the slope between the two Ns (per port); a per-container constant, if any, is reported apart.
 */
async function measureRules(e, notes, proxyMode) {
  const scenarios = {};
  for (const scenario of ['bridge', 'ipv6Network']) {
    const network = scenario === 'ipv6Network' ? e.createIpv6Network() : undefined;
    const base = e.rules();
    const byN = {};
    for (const n of RULE_PORT_COUNTS) {
      const c = e.run(EngineUnderTest.portRange(FIRST_PORT, n), { network });
      byN[n] = e.rules();
      await e.remove(c);
    }
    const after = e.rules();
    const result = { baseline: { iptables: base.iptables, ip6tables: base.ip6tables }, counts: {} };
    for (const n of RULE_PORT_COUNTS) result.counts[n] = { iptables: byN[n].iptables, ip6tables: byN[n].ip6tables };
    for (const tool of ['iptables', 'ip6tables']) {
      const [n1, n2] = RULE_PORT_COUNTS;
      const p1 = perPort(byN[n1][tool], base[tool], n1);
      const p2 = perPort(byN[n2][tool], base[tool], n2);
      const slope = perPort(Object.fromEntries(TABLES.map((t) => [t, byN[n2][tool][t] - byN[n1][tool][t]])), Object.fromEntries(TABLES.map((t) => [t, 0])),
        n2 - n1);
      const perContainer = Object.fromEntries(TABLES.map((t) => [t, round(byN[n1][tool][t] - base[tool][t] - slope[t] * n1)]));
      const agree = sameCounts(p1, p2);
      if (!agree) {
        notes.push(`${proxyMode} ${scenario} ${tool}: ${n1} and ${n2} ports disagree (total ${round(p1.total)} vs ${round(p2.total)} per port): `
          + `${JSON.stringify(perContainer)} per container besides the per-port rules; rulesPerPort is the slope between them`);
      }
      if (!sameCounts(after[tool], base[tool])) {
        notes.push(`${scenario} ${tool}: rules left after the containers were removed (${JSON.stringify(base[tool])} before, ${JSON.stringify(after[tool])} ` +
          `after)`);
      }
      // what one container with N ports added, with the first port's lines and the per-container ones as examples
      const baseSet = new Set(base.lines[tool]);
      const added = byN[n1].lines[tool].filter((l) => !baseSet.has(l));
      const examples = added.filter((l) => !/\b400(0[1-9])\b/.test(l));
      result[tool] = { perPort: roundCounts(slope), [`perPortAt${n1}`]: roundCounts(p1), [`perPortAt${n2}`]: roundCounts(p2), agree, perContainer,
        addedLinesExample: examples };
    }
    if (network) e.docker(['network', 'rm', network]);
    scenarios[scenario] = result;
  }
  return scenarios;
}

function roundCounts(c) {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, round(v)]));
}

/** Mean RSS, PSS and USS (private pages) of processes, bytes, from smaps_rollup. */
function meanRssPss(pids) {
  const field = (text, name) => Number((new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text) || [0, 0])[1]) * 1024;
  let rss = 0;
  let pss = 0;
  let uss = 0;
  let n = 0;
  for (const pid of pids) {
    let text;
    try { text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'); } catch { continue; }
    rss += field(text, 'Rss');
    pss += field(text, 'Pss');
    uss += field(text, 'Private_Clean') + field(text, 'Private_Dirty');
    n++;
  }
  return n ? { rss: rss / n, pss: pss / n, uss: uss / n, processes: n } : { rss: NaN, pss: NaN, uss: NaN, processes: 0 };
}

/** Kernel stack per thread on x86_64 (THREAD_SIZE), bytes. */
const KERNEL_STACK_BYTES = 16 * 1024;

/**
 * Memory the processes account for themselves, bytes per process: PSS + page tables (VmPTE) + kernel stacks
 * (threads × 16 KiB). Leaves out other kernel objects (task structs, files, sockets), so it is a lower bound of what
 * MemAvailable loses; unlike MemAvailable it does not move with other processes on the machine.
 */
function meanAccounted(pids, pssMean) {
  let pte = 0;
  let stacks = 0;
  let threads = 0;
  let n = 0;
  for (const pid of pids) {
    let text;
    try { text = fs.readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { continue; }
    pte += Number((/^VmPTE:\s+(\d+) kB$/m.exec(text) || [0, 0])[1]) * 1024;
    const t = Number((/^Threads:\s+(\d+)$/m.exec(text) || [0, 0])[1]);
    threads += t;
    stacks += t * KERNEL_STACK_BYTES;
    n++;
  }
  return n ? { accounted: pssMean + (pte + stacks) / n, pte: pte / n, threads: threads / n } : { accounted: NaN, pte: NaN, threads: NaN };
}

/** RSS of one process, bytes (0 when it is gone). */
function rssOf(pid) {
  try { return Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024; } catch { return 0; }
}

/** Memory per docker-proxy with N published tcp ports: MemAvailable drop / processes, and mean RSS / PSS. */
async function measureMemory(e, ports) {
  const load = loadavg1();
  const dockerdBefore = rssOf(e.engine.pid);
  const slabBefore = await meminfoBytes('SUnreclaim', 3);
  const before = await memAvailableBytes();
  const c = e.run(EngineUnderTest.portRange(FIRST_PORT, ports));
  const ips = [c.ip, c.ip6].filter(Boolean);
  // the count the engine settles on (2 per port here), then a moment for the processes' memory to settle
  let last = -1;
  await waitUntil(() => { const n = e.proxyPids(ips).length; const stable = n === last; last = n; return stable && n > 0; }, settleTimeoutMs,
    'the docker-proxy count to settle');
  await sleep(3000);
  const after = await memAvailableBytes();
  const slabAfter = await meminfoBytes('SUnreclaim', 3);
  const pids = e.proxyPids(ips);
  const { rss, pss, uss } = meanRssPss(pids);
  const { accounted, pte, threads } = meanAccounted(pids, pss);
  const dockerdGrowth = rssOf(e.engine.pid) - dockerdBefore;
  await e.remove(c);
  await sleep(3000);
  // a cross-check: what removing the container gave back (other processes on the machine move both figures)
  const released = await memAvailableBytes();
  return {
    ports, protocol: 'tcp', processes: pids.length, memAvailableDropMb: round((before - after) / MB, 1),
    memAvailableReleasedOnRemoveMb: round((released - after) / MB, 1),
    // the processes' own memory plus the kernel objects they made: see docs/calibration.md for why not MemAvailable
    memoryMbPerProcess: round((accounted + Math.max(0, slabAfter - slabBefore) / pids.length) / MB, 3),
    memAvailableMbPerProcess: round((before - after) / MB / pids.length, 3),
    memAvailableMbPerProcessOnRemove: round((released - after) / MB / pids.length, 3),
    rssMbPerProcess: round(rss / MB, 3), pssMbPerProcess: round(pss / MB, 3), ussMbPerProcess: round(uss / MB, 3),
    accountedMbPerProcess: round(accounted / MB, 3), pageTablesMbPerProcess: round(pte / MB, 3), threadsPerProcess: round(threads, 1),
    unreclaimableSlabMbPerProcess: round((slabAfter - slabBefore) / MB / pids.length, 3),
    dockerdRssGrowthMb: round(dockerdGrowth / MB, 1), loadavg1: load,
  };
}

/** Points below this many ports are kept in the row but left out of the fit (see fitPower). */
const FIT_MIN_PORTS = 100;

/**
 * seconds = a * (N / 1000) ^ b by least squares on log-log, over the points from FIT_MIN_PORTS up: a container's
 * fixed start-up cost dominates 10 ports and flattened the fit to b = 1.0, which then under-predicted 1,000 ports by
 * a quarter on every engine (20.10: 29 s fitted, 39.3 s measured), and the figures matter for big ranges.
 */
function fitPower(allPoints) {
  const points = allPoints.filter(([n]) => n >= FIT_MIN_PORTS).length >= 2 ? allPoints.filter(([n]) => n >= FIT_MIN_PORTS) : allPoints;
  const xs = [];
  const ys = [];
  for (const [n, s] of points) if (s > 0) { xs.push(Math.log(n / 1000)); ys.push(Math.log(s)); }
  if (xs.length < 2) return { secondsAt1000: null, exponent: null };
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const b = sxy / sxx;
  const a = Math.exp(my - b * mx);
  return { secondsAt1000: round(a, a < 10 ? 2 : 1), exponent: round(b) };
}

/** `docker run -d` wall time with N published udp ports (no host IP), then the proxy count the moment it returned. */
async function measureStartup(e, counts, proxyOn, loadavgs) {
  const points = [];
  const detail = [];
  for (const n of counts) {
    const load = loadavg1();
    loadavgs.push(load);
    const memBefore = await memAvailableBytes(3);
    const c = e.run(EngineUnderTest.portRange(FIRST_PORT, n, { protocol: 'udp' }));
    const ips = [c.ip, c.ip6].filter(Boolean);
    const proxiesAtReturn = e.proxyPids(ips).length;
    await sleep(1000);
    const proxiesLater = e.proxyPids(ips).length;
    const memAfter = await memAvailableBytes(3);
    say(`    ${n} udp ports: docker run -d ${c.seconds.toFixed(2)} s (load ${load}), ${proxiesAtReturn} docker-proxy when it returned, ${proxiesLater} a ` +
      `second later`);
    const t0 = Date.now();
    await e.remove(c);
    points.push([n, round(c.seconds, c.seconds < 10 ? 2 : 1)]);
    detail.push({
      ports: n, seconds: round(c.seconds, 3), loadavg1: load, proxiesAtReturn, proxiesOneSecondLater: proxiesLater,
      ...(proxyOn ? { memAvailableDropMb: round((memBefore - memAfter) / MB, 1) } : {}), removeSeconds: round((Date.now() - t0) / 1000, 1),
    });
  }
  return { points, ...fitPower(points), detail };
}

module.exports = {
  TABLES, say, round, machineText, EngineUnderTest, measureProcesses, measureRules, measureMemory, measureStartup, fitPower,
};
