// Code lenses over an analysis: one per service `ports:` key, with the service's published ports and what they cost
// (`⚠ 10,001 ports → 20,002 docker-proxy · ~19 GB · ~30,003 iptables rules · use host network?`).
import { costNote, describeCost, formatCount } from '../../cost/dockerProxyCost';
import type { BindingCost } from '../../cost/dockerProxyCost';
import type { ComposeAnalysis } from '../analyzeCompose';
import { networkModeKind, serviceCost } from '../publishedPorts';
import { defaultProxyCostThresholdPorts } from '../rules/port-range-proxy-cost';

export interface PortsLens {
  service: string;
  file: string;
  /** The `ports:` key: where the lens goes. */
  start: number;
  end: number;
  cost: BindingCost;
  /** Entries whose value depends on unset variables (not counted). */
  unresolvedEntries: number;
  /** Over the `port-range-proxy-cost` threshold. */
  overThreshold: boolean;
  /** `⚠ 10,001 ports → 20,002 docker-proxy · ~19 GB · ~30,003 iptables rules · use host network?` */
  title: string;
  /** The figures' assumption, when the engine did not say whether the userland proxy is on. */
  note?: string;
}

/** One lens per service `ports:` key in `fileName`, with the service's totals across all files. */
export function portsLenses(analysis: ComposeAnalysis, fileName: string): PortsLens[] {
  const file = analysis.files.find((f) => f.fileName === fileName);
  if (!file) return [];
  const threshold = analysis.options.proxyCostThresholdPorts ?? defaultProxyCostThresholdPorts;
  const out: PortsLens[] = [];
  for (const local of file.services.values()) {
    const svc = analysis.project.services.get(local.name);
    if (!svc || !local.portsKeyRange) continue;
    const cost = serviceCost(svc, analysis.options);
    const ignored = networkModeKind(svc.networkMode?.value);
    const over = cost.hostPorts >= threshold;
    const unresolved = svc.unresolvedPorts.length;
    let title: string;
    if (ignored) title = `ports ignored: network_mode ${svc.networkMode!.value}`;
    else {
      title = `${over ? '⚠ ' : ''}${formatCount(cost.hostPorts)} ${cost.hostPorts === 1 ? 'port' : 'ports'} → ${describeCost(cost)}`;
      if (unresolved) title += ` · ${unresolved} unresolved`;
      if (over) title += ' · use host network?';
    }
    const lens: PortsLens = {
      service: svc.name, file: fileName, start: local.portsKeyRange.start, end: local.portsKeyRange.end,
      cost, unresolvedEntries: unresolved, overThreshold: over && !ignored, title,
    };
    lens.note = costNote(cost);
    out.push(lens);
  }
  return out;
}
