// The compose model the rules work on: services with their port entries, network attachments and modes, each piece
// with the file and the offsets it came from. Built by loadComposeFile / buildComposeProject; views never re-parse.
import type { DefaultUsed } from './interpolate';
import type { SourceRange } from '../yaml';
import type { PortInterval } from '../net/portInterval';
import type { PortProtocol } from '../net/portInterval';

export type { SourceRange } from '../yaml';

export interface PortEntry {
  /** The whole entry (the scalar, or the long-syntax map). */
  range: SourceRange;
  syntax: 'short' | 'long';
  /** The entry as written (source text of the scalar, or `published:target/protocol` for long syntax). */
  text: string;
  /** Without brackets; undefined: no host IP (the engine binds 0.0.0.0 and ::). */
  hostIp?: string;
  /** undefined: the engine picks an ephemeral host port per container port. */
  published?: PortInterval;
  target: PortInterval;
  protocol: PortProtocol;
  /** A host range mapped to a single container port: the engine binds one free port of the range. */
  publishedIsPool: boolean;
  appProtocol?: string;
  mode?: string;
  name?: string;
  defaultsUsed: DefaultUsed[];
}

/** An entry whose value depends on variables that are not set: it is reported, never guessed. */
export interface UnresolvedPortEntry {
  range: SourceRange;
  text: string;
  variables: string[];
}

export interface ExposeEntry {
  range: SourceRange;
  ports: PortInterval;
  protocol: PortProtocol;
}

/** A value read for its text (interpolated), with where it is written. */
export interface ValueAt {
  value: string;
  range: SourceRange;
}

export interface NetworkAttachment {
  name: string;
  range: SourceRange;
  /** `networks: {n: {ipv4_address: …}}`: a static address on that network. */
  ipv4Address?: ValueAt;
  ipv6Address?: ValueAt;
}

/** A service named by another (`depends_on`, `links`), where it is written. */
export interface ServiceRef {
  name: string;
  range: SourceRange;
  /** `links: [db:database]`: the extra name the link adds. */
  alias?: string;
}

export interface ServiceModel {
  name: string;
  /** The service's key in the file that defines it (the first file, for merged services). */
  nameRange: SourceRange;
  /** The `ports:` key of the last file that set ports, where a lens goes. */
  portsKeyRange?: SourceRange;
  ports: PortEntry[];
  unresolvedPorts: UnresolvedPortEntry[];
  expose: ExposeEntry[];
  networkMode?: { value: string; range: SourceRange };
  /** undefined: not written (compose attaches the `default` network unless a network_mode is set). */
  networks?: NetworkAttachment[];
  profiles: string[];
  image?: string;
  /** `build:` is written (with `image`, what makes a service complete rather than part of an overlay). */
  build?: boolean;
  /** `depends_on` (list or map form); undefined: not written. */
  dependsOn?: ServiceRef[];
  /** `links` (legacy: names in /etc/hosts on the default bridge); undefined: not written. */
  links?: ServiceRef[];
  extends?: { service: string; file?: string; range: SourceRange };
}

export interface NetworkDefinition {
  name: string;
  range: SourceRange;
  driver?: string;
  internal: boolean;
  external: boolean;
  /** `enable_ipv6: true`: without the userland proxy, IPv6 host ports are bound only for containers on such networks. */
  enableIpv6: boolean;
  ipamSubnets: string[];
  /** `ipam.config` entries, as written (values interpolated; unresolved ones left out). */
  ipam: IpamConfigEntry[];
}

export interface IpamConfigEntry {
  range: SourceRange;
  subnet?: ValueAt;
  gateway?: ValueAt;
  ipRange?: ValueAt;
  /** `aux_addresses: {host1: 172.28.1.5}`: `value` is the address, `name` its key. */
  auxAddresses: (ValueAt & { name: string })[];
}

export interface ComposeProject {
  files: string[];
  /** The last top-level `name:` of the files (a later file overrides), when any sets one. */
  name?: string;
  services: Map<string, ServiceModel>;
  networks: Map<string, NetworkDefinition>;
}
