// What the firewall helper container prints, parsed: sections delimited by `### dnd-NONCE:begin NAME` /
// `### dnd-NONCE:end rc=N` holding the rule dumps, the docker-proxy processes (pid, Pss in kB, command line) and a few
// sysctls. NONCE is random per run and never in the helper's command line, so process data (a command line with a
// newline, a rule comment) cannot forge a marker; outputs captured before it was added use `### dnd:`.
// The script that prints it lives in src/adapters/helperScripts.ts.

export interface HelperSection {
  name: string;
  /** Exit code of the command that printed the section; undefined when the end marker is missing (cut short). */
  exitCode?: number;
  text: string;
}

export interface DockerProxyProcess {
  pid: number;
  /** Proportional set size in kB, from /proc/PID/smaps_rollup; undefined when unreadable. */
  pssKb?: number;
  protocol?: string;
  hostIp?: string;
  hostPort?: number;
  containerIp?: string;
  containerPort?: number;
  commandLine: string;
}

export interface HostSnapshot {
  sections: HelperSection[];
  /** iptables-save, ip6tables-save and nft text that printed something and exited 0, joined for parseFirewall. */
  rulesText: string;
  /** Which dumps were available (`iptables-save`, `ip6tables-save`, `nft`). */
  dumps: string[];
  dockerProxies: DockerProxyProcess[];
  /** `net/ipv4/ip_forward` → `1`, as /proc/sys paths. */
  sysctls: Record<string, string>;
  /** Errors the script reported (`### dnd:error …`). */
  errors: string[];
  /** The process whose namespaces the helper entered, and why that one (`### dnd:target PID COMM: why`). */
  target?: HelperTarget;
}

export interface HelperTarget {
  pid: number;
  /** Its command name (`systemd`, `init`, `dockerd`). */
  command: string;
  /** Why this process: e.g. `pid 1 is in another network namespace (net:[…]) than the engine (net:[…])`. */
  reason?: string;
}

/** `### dnd:target 1 systemd: pid 1 shares the engine's network namespace` → its parts. */
export function parseHelperTarget(text: string): HelperTarget | undefined {
  const m = /^(\d+)\s*([^\s:]*)(?::\s*(.*))?$/.exec(text.trim());
  if (!m) return undefined;
  return { pid: Number(m[1]), command: m[2]!, ...(m[3]?.trim() ? { reason: m[3].trim() } : {}) };
}

const dumpSections = ['iptables-save', 'ip6tables-save', 'nft'];

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

export function parseDockerProxyLine(line: string): DockerProxyProcess | undefined {
  const m = /^(\d+)\s+(\d+|\?)\s+(.*)$/.exec(line.trim());
  if (!m) return undefined;
  const commandLine = m[3]!.trim();
  const args = commandLine.split(/\s+/);
  const p: DockerProxyProcess = { pid: Number(m[1]), commandLine };
  if (m[2] !== '?') p.pssKb = Number(m[2]);
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const proto = flagValue(args, '-proto');
  const hostIp = flagValue(args, '-host-ip');
  const hostPort = num(flagValue(args, '-host-port'));
  const containerIp = flagValue(args, '-container-ip');
  const containerPort = num(flagValue(args, '-container-port'));
  if (proto) p.protocol = proto;
  if (hostIp) p.hostIp = hostIp;
  if (hostPort !== undefined) p.hostPort = hostPort;
  if (containerIp) p.containerIp = containerIp;
  if (containerPort !== undefined) p.containerPort = containerPort;
  return p;
}

/**
 * With the iptables-nft backend, `nft list ruleset` shows the tables iptables-save already printed, each after a
 * `# Warning: table ip nat is managed by iptables-nft, do not touch!` line. Drops those tables (braces counted),
 * keeping nft's own (e.g. Docker 29's `ip docker-bridges`).
 */
export function withoutIptablesNftTables(nftText: string): string {
  const out: string[] = [];
  let skipping = false;
  let depth = 0;
  let managedNext = false;
  for (const line of nftText.split('\n')) {
    if (!skipping && /^# Warning: table .* is managed by iptables-nft/.test(line)) {
      managedNext = true;
      continue;
    }
    if (!skipping && managedNext && /^table\s/.test(line)) {
      skipping = true;
      managedNext = false;
      depth = 0;
    }
    if (skipping) {
      for (const ch of line) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      if (depth <= 0 && line.includes('}')) skipping = false;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The marker prefix of a run: `### dnd-NONCE:`, or `### dnd:` for outputs captured without a nonce. */
export function helperMarker(nonce?: string): string {
  return nonce === undefined ? '### dnd:' : `### dnd-${nonce}:`;
}

/** Parses the helper's output; only lines that start with the run's marker (see helperMarker) frame it. */
export function parseHostSnapshot(output: string, nonce?: string): HostSnapshot {
  if (nonce !== undefined && !/^[0-9a-f]{16,}$/.test(nonce)) throw new Error('a helper nonce is 16 or more hex digits');
  const marker = helperMarker(nonce);
  const sections: HelperSection[] = [];
  const errors: string[] = [];
  let target: HelperTarget | undefined;
  let current: { name: string; lines: string[] } | undefined;
  for (const line of output.split(/\r?\n/)) {
    const framing = line.startsWith(marker) ? line.slice(marker.length) : undefined;
    const begin = framing === undefined ? null : /^begin (\S+)\s*$/.exec(framing);
    const end = framing === undefined ? null : /^end rc=(\d+)\s*$/.exec(framing);
    const error = framing === undefined ? null : /^error (.*)$/.exec(framing);
    const entered = current || framing === undefined ? null : /^target (.*)$/.exec(framing);
    if (begin) {
      if (current) sections.push({ name: current.name, text: current.lines.join('\n') });
      current = { name: begin[1]!, lines: [] };
    } else if (end && current) {
      sections.push({ name: current.name, exitCode: Number(end[1]), text: current.lines.join('\n') });
      current = undefined;
    } else if (error) {
      errors.push(error[1]!.trim());
    } else if (entered) {
      target = parseHelperTarget(entered[1]!) ?? target;
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) sections.push({ name: current.name, text: current.lines.join('\n') });

  const usable = sections.filter((s) => dumpSections.includes(s.name) && s.exitCode === 0 && s.text.trim())
    .map((s) => (s.name === 'nft' && sections.some((o) => o.name === 'iptables-save' && o.exitCode === 0 && o.text.trim())
      ? { ...s, text: withoutIptablesNftTables(s.text) } : s))
    .filter((s) => s.text.trim());
  const section = (name: string) => sections.find((s) => s.name === name);
  const dockerProxies = (section('docker-proxy')?.text ?? '').split('\n')
    .map(parseDockerProxyLine).filter((p): p is DockerProxyProcess => p !== undefined);
  const sysctls: Record<string, string> = {};
  for (const line of (section('sysctl')?.text ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) sysctls[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return {
    sections, errors, dockerProxies, sysctls, ...(target ? { target } : {}),
    dumps: usable.map((s) => s.name),
    rulesText: usable.map((s) => s.text).join('\n'),
  };
}
