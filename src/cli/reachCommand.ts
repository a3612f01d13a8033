// `docker-network-doctor reach <container>[:port[/proto]] [--from outside|host|<container>] [--dump FILE]`: why a
// connection to a container fails, as a checklist: running, listening (and on which address), published, the host's
// rules (a trace, when the host's rules are given), and for a source container: DNS and a shared network.
import { readFullEngine } from '../adapters/engineReads';
import { runConnectProbe } from '../adapters/connectProbe';
import { readListeners } from '../adapters/listenerProbe';
import { helperDocker } from '../adapters/shortLivedContainer';
import type { ContainerModel, EngineModel } from '../core/engine/model';
import { liveTarget, reachChecklist, type ReachInput, type ReachSource } from '../core/reach/checklist';
import { exitCodeHelp, exitCodes, InputError, oneOf, parseCommandArgs, UsageError } from './cliArgs';
import { cliEngine, engineFailure } from './cliEngine';
import type { CliCommand } from './commands';
import { readRuleset } from './dumpInput';
import { capped, quoted } from './terminalText';
import type { PortProtocol } from '../core/net/portInterval';
import { defaultHelperImage } from '../core/firewall/helperGrant';

const usage = [
  'usage: docker-network-doctor reach CONTAINER[:PORT[/tcp|udp]] [--from outside|host|CONTAINER] [--dump FILE]',
  '                                   [--live] [--probe-image IMAGE] [--host ADDRESS] [--format text|json]',
  '',
  'Checks why a connection to a container would fail: is it running (and healthy), does something listen on the',
  'port inside it and on which address (read from its network namespace by a short-lived, unprivileged container',
  'that only runs cat), is the port published and where, do the host\'s rules let it through (a trace, given the',
  'host\'s rules with --dump), and from another container: does the name resolve, do they share a network.',
  '',
  'options:',
  '  --from outside|host|CONTAINER  where the connection comes from (default outside: another machine)',
  '  --dump FILE                    the engine host\'s iptables-save (and ip6tables-save), for the rules step',
  `  --probe-image IMAGE            the image of the probe that reads the sockets (default ${defaultHelperImage})`,
  '  --host ADDRESS                 the host\'s address seen from outside (default: a stand-in)',
  '  --live                         also make a real connection from the source (the host, or the source',
  '                                 container\'s network namespace) with a short-lived unprivileged container',
  '                                 running busybox telnet (the probe image); giving --live is the consent to run it',
  '  --format text|json             output format (default text)',
  '  -h, --help                     this text',
  '',
  'A step that cannot be checked (no rules given, the probe could not run) is shown as ? and does not fail.',
  '',
  exitCodeHelp,
].join('\n');

const options = {
  from: { type: 'string' },
  dump: { type: 'string' },
  'probe-image': { type: 'string' },
  host: { type: 'string' },
  live: { type: 'boolean' },
  format: { type: 'string' },
} as const;

const marks = { ok: '✓', fail: '✗', unknown: '?' } as const;

function findContainer(model: EngineModel, ref: string): ContainerModel {
  const c = model.containers.find((x) => x.name === ref) ?? model.containers.find((x) => ref.length >= 4 && x.id.startsWith(ref));
  if (!c) throw new InputError(`no container ${quoted(ref)} on this engine (give its name or the start of its id)`);
  return c;
}

function parseTarget(text: string): { ref: string; port?: number; protocol?: PortProtocol } {
  const m = /^([^:]+)(?::(\d{1,5})(?:\/(tcp|udp|sctp))?)?$/.exec(text);
  if (!m) throw new UsageError(`give CONTAINER or CONTAINER:PORT[/tcp|udp] (got ${quoted(text)})`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new UsageError(`a port is 1-65535 (got ${port})`);
  return { ref: m[1]!, ...(port !== undefined ? { port } : {}), ...(m[3] ? { protocol: m[3] as PortProtocol } : {}) };
}

export const reachCommand: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (positionals.length !== 1) throw new UsageError('give one CONTAINER[:PORT]');
    const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
    const target = parseTarget(positionals[0]!);
    const ruleset = values.dump !== undefined ? await readRuleset(values.dump, io) : undefined;
    const { engine, client } = cliEngine(io.env);
    let model: EngineModel;
    try {
      model = (await readFullEngine(client)).model;
    } catch (err) {
      throw engineFailure(err, engine);
    }
    const container = findContainer(model, target.ref);
    const from = values.from ?? 'outside';
    const source: ReachSource = from === 'outside' ? { kind: 'outside' } : from === 'host' ? { kind: 'host' }
      : { kind: 'container', container: findContainer(model, from) };
    let listeners: Awaited<ReturnType<typeof readListeners>> | { error: string } | undefined;
    if (container.state === 'running') {
      try {
        listeners = await readListeners(helperDocker(engine.endpoint, io.env), container.id, values['probe-image'] ?? defaultHelperImage, `cli-${process.pid}`);
      } catch (err) {
        listeners = { error: capped((err as Error).message, 300) };
      }
    }
    let live: ReachInput['live'];
    if (values.live) {
      const to = liveTarget({ target: container, source, ...(target.port !== undefined ? { port: target.port } : {}),
        ...(target.protocol ? { protocol: target.protocol } : {}) });
      if (!to) {
        live = { unavailable: source.kind === 'outside'
          ? 'a live test from outside needs a machine outside this host: run reach --live there, or use --from host'
          : 'nothing to connect to (no published or shared address for this port)' };
      } else if ((target.protocol ?? 'tcp') !== 'tcp') {
        live = { unavailable: 'the live test makes TCP connections only' };
      } else {
        try {
          const result = await runConnectProbe(helperDocker(engine.endpoint, io.env), values['probe-image'] ?? defaultHelperImage,
            source.kind === 'container' ? { kind: 'container', id: source.container.id } : { kind: 'host' }, to.address, to.port, `cli-${process.pid}`);
          live = { result, to: `${to.address}:${to.port}` };
        } catch (err) {
          live = { unavailable: `the probe could not run: ${capped((err as Error).message, 300)}` };
        }
      }
    }
    const result = reachChecklist({
      ...(live ? { live } : {}),
      model, target: container, source, ...(target.port !== undefined ? { port: target.port } : {}), ...(target.protocol ? { protocol: target.protocol } : {}),
      ...(listeners ? { listeners } : {}), ...(ruleset ? { ruleset } : {}), ...(values.host ? { hostAddress: values.host } : {}),
    });
    if (format === 'json') {
      const report = { container: container.name, port: result.port, protocol: result.protocol, from, steps: result.steps, cause: result.cause,
        trace: result.trace };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const lines = [`reach ${capped(container.name)}${result.port !== undefined ? `:${result.port}/${result.protocol}` : ''} from ${capped(from)}`];
      for (const s of result.steps) {
        lines.push(`  ${marks[s.result]} ${capped(s.title, 300)}: ${capped(s.evidence, 600)}`);
        if (s.fix && s.result !== 'ok') lines.push(`      fix: ${capped(s.fix, 600)}`);
      }
      lines.push(result.cause ? `likely cause: ${capped(result.cause.title, 300)}` : 'no step failed');
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return result.cause ? exitCodes.findings : exitCodes.ok;
  },
};
