// The firewall core's public surface: parse any dump, describe Docker's layout, link to the engine, trace a packet.
export * from './model';
export { parseFirewall, detectFormat, type ParseOptions } from './parse/parseFirewall';
export { firewallFormatList, firewallFormats, type FirewallFormatEntry } from './parse/formats';
export { decodeDump, type DecodedDump } from './decode';
export { detectDockerLayout, detectBackend, inferUserlandProxy, type DockerLayout, type DockerEra, type UserlandProxyInference,
  type ProxyState } from './layout';
export { chainOwner, dockerBridges } from './owners';
export { linkFirewall, engineFactsFromModel, networkOfAddress, type EngineFacts, type LinkNetwork, type LinkContainer, type LinkPort, type RuleLink,
  type LinkRole, type FirewallLinks } from './link';
export { subnetBridges } from './traceTopology';
export { exposureText, type ExposureText } from './exposureText';
export { exposureFixes, type ExposureFix } from './exposureFixes';
export { exposure, exposedBindingsOf, exposureOf, hostFirewallOf, publishedBindings, reachOf, withoutDocker, type BindingExposure, type ExposedBinding,
  type ExposureOptions, type ExposureSource, type HostFirewall, type Reach, type SourceVerdict } from './exposure';
export { traceConnection, type TraceRequest, type TraceResult, type TraceStep, type TraceVerdict, type VerdictKind, type Hook } from './trace';
