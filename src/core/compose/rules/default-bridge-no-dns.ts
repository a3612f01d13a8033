// `default-bridge-no-dns`: a service that depends on another cannot reach it by name when either sits on Docker's
// default bridge (`network_mode: bridge`). Checked on Engine 20.10 (test/fixtures/compose/README.md): on the default
// bridge `ping db` fails with "bad address" (no embedded DNS) unless `--link db` adds it to /etc/hosts; on a
// user-defined network the name resolves; and a container on another network cannot reach a default-bridge
// container's address at all (DOCKER-ISOLATION drops it; only ports it publishes on the host answer).
import { removeNetworkModeEditsIn } from '../fixes';
import type { ServiceModel, SourceRange } from '../model';
import type { ComposeRule, FixKind, FixRequestBase, RuleFinding } from './rule';

/** "Use the project's network": `network_mode: bridge` removed from these services of `file`. */
interface LeaveDefaultBridgeRequest extends FixRequestBase<'leave-default-bridge'> {
  services: string[];
  file: string;
}

const leaveDefaultBridgeFix: FixKind<LeaveDefaultBridgeRequest> = {
  kind: 'leave-default-bridge',
  resolve(f, yamlByFile) {
    const yaml = yamlByFile.get(f.file);
    const edits = yaml && f.services.map((s) => removeNetworkModeEditsIn(yaml, s));
    if (!edits || edits.some((e) => !e)) return undefined;
    const names = f.services.join(' and ');
    return {
      title: `Use the project's network for ${names}`, isPreferred: f.isPreferred, edits: edits.flatMap((e) => e!),
      note: `removes network_mode: bridge from ${names}: ${f.services.length > 1 ? 'they join' : 'it joins'} the project's default network, where service ` +
        `names resolve`,
    };
  },
};

export const defaultBridgeNoDnsRule: ComposeRule<'default-bridge-no-dns', LeaveDefaultBridgeRequest> = {
  code: 'default-bridge-no-dns',
  defaultSeverity: 'warning',
  summary: 'Services that depend on each other over Docker\'s default bridge, which has no embedded DNS; use the project\'s network or links.',
  run: ({ services }, out) => { for (const f of defaultBridgeNameResolution(services)) out.push(f); },
  fixes: [leaveDefaultBridgeFix],
};

type Placement = 'default-bridge' | 'project' | 'other';

/** Where compose attaches a service: `bridge`/`default` mean the default bridge; no mode, the project's networks. */
function placement(svc: ServiceModel): Placement {
  const mode = svc.networkMode?.value;
  if (mode === undefined) return 'project';
  return mode === 'bridge' || mode === 'default' ? 'default-bridge' : 'other';
}

/**
 * "Use the project's network": drop `network_mode: bridge` from the services on the default bridge, offered only when
 * every one of them sets it in the file the finding is in (a quick fix edits one file).
 */
function leaveDefaultBridge(file: string, ...services: ServiceModel[]): LeaveDefaultBridgeRequest[] {
  const bridged = services.filter((s) => placement(s) === 'default-bridge');
  if (!bridged.every((s) => s.networkMode?.range.file === file)) return [];
  return [{ kind: 'leave-default-bridge', services: bridged.map((s) => s.name), file, isPreferred: true }];
}

function modeRanges(...services: ServiceModel[]): Array<{ message: string; range: SourceRange }> {
  return services.flatMap((s) => (s.networkMode ? [{ message: `${s.name}: network_mode: ${s.networkMode.value}`, range: s.networkMode.range }] : []));
}

function defaultBridgeNameResolution(services: readonly ServiceModel[]): RuleFinding<'default-bridge-no-dns', LeaveDefaultBridgeRequest>[] {
  const out: RuleFinding<'default-bridge-no-dns', LeaveDefaultBridgeRequest>[] = [];
  // nothing on the default bridge, nothing to report: no lookup table for the (many) services of such a project
  if (!services.some((s) => placement(s) === 'default-bridge')) return out;
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const from of services) {
    for (const ref of from.dependsOn ?? []) {
      const to = byName.get(ref.name);
      if (!to || to === from) continue;
      const a = placement(from);
      const b = placement(to);
      if (a === 'default-bridge' && b === 'default-bridge') {
        if (from.links?.some((l) => l.name === to.name)) continue;
        out.push({
          code: 'default-bridge-no-dns', service: from.name, range: ref.range, related: modeRanges(from, to),
            fixes: leaveDefaultBridge(ref.range.file, from, to),
          message: `${from.name} and ${to.name} are on Docker's default bridge (network_mode: bridge), which has no DNS: ${from.name} cannot ` +
            `reach ${to.name} by the name "${to.name}", only by its address.`
            + ` Drop network_mode: bridge from both so they share the project's network (which resolves service names), or add links: [${to.name}] ` +
              `to ${from.name}.`,
        });
      } else if ((a === 'default-bridge' && b === 'project') || (a === 'project' && b === 'default-bridge')) {
        const bridged = a === 'default-bridge' ? from : to;
        out.push({
          code: 'default-bridge-no-dns', service: from.name, range: ref.range, related: modeRanges(bridged), fixes: leaveDefaultBridge(ref.range.file, bridged),
          message: `${bridged.name} is on Docker's default bridge (network_mode: bridge) and ${bridged === from ? to.name : from.name} on the project's ` +
            `network: ${from.name} cannot reach ${to.name} by name (no DNS across them) nor by address (Docker isolates the networks from each other)`
            + `, only through ports ${to.name} publishes on the host. Drop network_mode: bridge from ${bridged.name}.`,
        });
      }
    }
  }
  return out;
}
