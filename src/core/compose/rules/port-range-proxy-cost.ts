// port-range-proxy-cost: a service that publishes many host ports. While the userland proxy is on (the default), the
// engine starts one docker-proxy per host port and address family and adds iptables rules for each port; the
// message gives the cost from the connected engine's calibration row (src/core/cost). Fix: host networking.
import { costNote, describeCost, formatCount, portCount } from '../../cost/dockerProxyCost';
import { inheritedNetworkKeys, useHostNetworkEditsIn } from '../fixes';
import type { PortEntry, ServiceModel } from '../model';
import { bindingGroupOf, portsRange, publishedEntries, serviceCost } from '../publishedPorts';
import type { ComposeRule, FindingsOut, FixKind, FixRequestBase, RuleOptions } from './rule';

export const defaultProxyCostThresholdPorts = 100;

/** "Use host network for SERVICE" in `file`. */
interface UseHostNetworkRequest extends FixRequestBase<'use-host-network'> {
  service: string;
  file: string;
}

const useHostNetworkFix: FixKind<UseHostNetworkRequest> = {
  kind: 'use-host-network',
  resolve(f, yamlByFile) {
    const yaml = yamlByFile.get(f.file);
    const edits = yaml && useHostNetworkEditsIn(yaml, f.service);
    const inherited = yaml ? inheritedNetworkKeys(yaml, f.service) : [];
    const overridden = inherited.length
      ? `; ${inherited.map((k) => `${k}:`).join(', ')} inherited through << ${inherited.length === 1 ? 'is' : 'are'} overridden with [] in ${f.service} (the ` +
        `shared anchor is left as it is)`
      : '';
    return edits && {
      title: `Use host network for ${f.service}`, isPreferred: f.isPreferred, edits,
      note: `sets network_mode: host and removes ports:, networks: and expose: of ${f.service}${overridden}: no network isolation and no service-name DNS; ` +
        `Docker Desktop needs 4.34+ with host networking enabled`,
    };
  },
};

export const portRangeProxyCostRule: ComposeRule<'port-range-proxy-cost', UseHostNetworkRequest> = {
  code: 'port-range-proxy-cost',
  defaultSeverity: 'warning',
  summary: 'A service publishes many host ports: each costs a docker-proxy process per address family (while the '
    + 'userland proxy is on) and iptables rules; use host networking, turn the userland proxy off or narrow the '
    + 'range.',
  run: ({ services, options }, out) => { for (const s of services) proxyCost(s, options, out); },
  fixes: [useHostNetworkFix],
};

function defaultsNote(entries: PortEntry[]): string {
  const used = new Map<string, string>();
  for (const e of entries) for (const d of e.defaultsUsed) used.set(d.name, d.value);
  return used.size ? ` (with the defaults: ${[...used].map(([n, v]) => `${n}=${v}`).join(', ')})` : '';
}

/** serviceCost(svc).hostPorts, without the cost object (every service is checked against the threshold). */
function publishedHostPorts(svc: ServiceModel): number {
  let hostPorts = 0;
  for (const p of publishedEntries(svc)) {
    const n = p.published && !p.publishedIsPool ? portCount(p.published) : portCount(p.target);
    if (n > 0) hostPorts += n;
  }
  return hostPorts;
}

function proxyCost(svc: ServiceModel, options: RuleOptions, out: FindingsOut<'port-range-proxy-cost', UseHostNetworkRequest>): void {
  const entries = publishedEntries(svc);
  const threshold = options.proxyCostThresholdPorts ?? defaultProxyCostThresholdPorts;
  if (!entries.length || publishedHostPorts(svc) < threshold) return;
  const cost = serviceCost(svc, options);
  const note = costNote(cost);
  const big = [...entries].sort((a, b) => portCount(bindingGroupOf(b).hostPorts) - portCount(bindingGroupOf(a).hostPorts)).slice(0, 3);
  out.push({
    code: 'port-range-proxy-cost',
    service: svc.name,
    range: portsRange(svc),
    message: `${svc.name} publishes ${formatCount(cost.hostPorts)} host ports${defaultsNote(entries)} → ${describeCost(cost)}`
      + `; ${note}. Threshold: ${formatCount(threshold)} ports.`,
    related: big.map((e) => ({ message: `${e.text}: ${formatCount(portCount(bindingGroupOf(e).hostPorts))} ports`, range: e.range })),
    fixes: [{ kind: 'use-host-network', service: svc.name, file: portsRange(svc).file, isPreferred: true }],
  });
}
