// Hovers over an analysis: what a port entry publishes, where, what it costs and why, with the alternatives to a
// range (explanations.ts); for an entry that depends on unset variables, which ones.
import { costNote, costOfBindings, describeCost, formatCount, portCount } from '../../cost/dockerProxyCost';
import type { BindingCost, CostOptions } from '../../cost/dockerProxyCost';
import type { ComposeAnalysis } from '../analyzeCompose';
import type { PortEntry, ServiceModel, UnresolvedPortEntry } from '../model';
import { formatHostIp } from '../../net/addresses';
import { formatInterval } from '../../net/portInterval';
import { bindingGroupOf, networkModeKind } from '../publishedPorts';
import { portAlternatives } from './explanations';
import { codeSpan } from './markdownText';

export interface PortHover {
  service: string;
  start: number;
  end: number;
  entry?: PortEntry;
  unresolved?: UnresolvedPortEntry;
  cost?: BindingCost;
  /** Markdown. */
  markdown: string;
}

/** The hover for the port entry at `offset` of `fileName`, if there is one. */
export function portHoverAt(analysis: ComposeAnalysis, fileName: string, offset: number): PortHover | undefined {
  for (const svc of analysis.project.services.values()) {
    const within = (r: { file: string; start: number; end: number }) => r.file === fileName && offset >= r.start && offset <= r.end;
    const entry = svc.ports.find((p) => within(p.range));
    if (entry) return hoverForEntry(svc, entry, analysis.options);
    const unresolved = svc.unresolvedPorts.find((p) => within(p.range));
    if (unresolved) {
      return {
        service: svc.name, start: unresolved.range.start, end: unresolved.range.end, unresolved,
        markdown: `**${codeSpan(unresolved.text)}**: depends on ${unresolved.variables.map(codeSpan).join(', ')}, which `
          + `${unresolved.variables.length === 1 ? 'is' : 'are'} not set (in \`.env\` or the environment). The ports and their cost are not known until then.`,
      };
    }
  }
  return undefined;
}

function hoverForEntry(svc: ServiceModel, entry: PortEntry, costOptions: CostOptions): PortHover {
  const group = bindingGroupOf(entry);
  const cost = costOfBindings([group], costOptions);
  const n = portCount(group.hostPorts);
  const where = entry.hostIp ? formatHostIp(entry.hostIp) : 'every address (0.0.0.0 and [::])';
  const hostSide = !entry.published
    ? `${n === 1 ? 'an ephemeral host port' : `${formatCount(n)} ephemeral host ports`} chosen by the engine`
    : entry.publishedIsPool
      ? `one free host port of ${formatInterval(entry.published)}`
      : `host ${n === 1 ? 'port' : 'ports'} ${formatInterval(entry.published)}`;
  const lines = [
    `**${codeSpan(entry.text.replace(/^['"]|['"]$/g, ''))}**: ${hostSide} on ${where} → ` +
      `container ${portCount(entry.target) === 1 ? 'port' : 'ports'} ${formatInterval(entry.target)}/${entry.protocol}`,
  ];
  if (entry.defaultsUsed.length) lines.push(`With the defaults: ${entry.defaultsUsed.map((d) => codeSpan(`${d.name}=${d.value}`)).join(', ')}.`);
  const ignored = networkModeKind(svc.networkMode?.value);
  if (ignored) {
    lines.push('', `Not published: ${codeSpan(`network_mode: ${svc.networkMode!.value}`)} discards \`ports\`.`);
  } else {
    lines.push('', `Cost: ${describeCost(cost)} (${costNote(cost)}).`);
    lines.push(`Why: the engine starts one docker-proxy per host port and address family${entry.hostIp ? '' : ' (no host IP: IPv4 and IPv6, so twice)'}, and ` +
      `adds iptables rules for each port.`);
    if (n > 1) {
      lines.push('', 'Alternatives:');
      for (const a of portAlternatives) lines.push(`- **${a.title}**: ${a.text}`);
    }
  }
  return { service: svc.name, start: entry.range.start, end: entry.range.end, entry, cost, markdown: lines.join('\n') };
}
