// ports-ignored-by-network-mode: `ports:` on a service whose network_mode shares another network stack or none.
// compose discards them under `host` and `none`; under `service:` and `container:` the engine refuses to start the
// container, so that case is an error by default.
import type { ServiceModel } from '../model';
import { networkModeKind, portsRange } from '../publishedPorts';
import type { ComposeRule, FindingsOut, Severity } from './rule';

export const portsIgnoredByNetworkModeRule: ComposeRule<'ports-ignored-by-network-mode'> = {
  code: 'ports-ignored-by-network-mode',
  defaultSeverity: 'warning',
  summary: 'ports are ignored with network_mode host, none, service: or container:; remove them or change the network mode.',
  run: ({ services }, out) => { for (const s of services) portsIgnoredByNetworkMode(s, out); },
  fixes: [],
};

function portsIgnoredByNetworkMode(svc: ServiceModel, out: FindingsOut<'ports-ignored-by-network-mode'>): void {
  const kind = networkModeKind(svc.networkMode?.value);
  if (!kind || (!svc.ports.length && !svc.unresolvedPorts.length)) return;
  const mode = svc.networkMode!;
  const n = svc.ports.length + svc.unresolvedPorts.length;
  const entries = `${n} port ${n === 1 ? 'entry' : 'entries'}`;
  const text: Record<typeof kind, { message: string; severity: Severity }> = {
    host: { severity: 'warning',
      message: `network_mode: host: compose discards the ${entries} of ${svc.name}; the service listens on the host's own interfaces directly (remove ` +
      `ports:, or drop network_mode: host to publish them).` },
    none: { severity: 'warning', message: `network_mode: none: ${svc.name} has no network, the ${entries} can never be reached.` },
    service: { severity: 'error',
      message: `network_mode: ${mode.value}: ${svc.name} shares another service's network stack and cannot publish ports; the engine refuses to start it ` +
      `(publish the ${entries} on that service instead).` },
    container: { severity: 'error',
      message: `network_mode: ${mode.value}: ${svc.name} shares a container's network stack and cannot publish ports; the engine refuses to start it ` +
      `(publish them on that container instead).` },
  };
  out.push({
    code: 'ports-ignored-by-network-mode', service: svc.name, range: portsRange(svc), severity: text[kind].severity,
    message: text[kind].message, related: [{ message: `network_mode: ${mode.value}`, range: mode.range }],
  });
}
