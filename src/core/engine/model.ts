// The normalized engine model the views read. Built only by src/core/engine/normalize*.ts.

export interface Subnet {
  /** CIDR, e.g. `172.18.0.0/16` or `fd00::/64`. */
  cidr: string;
  family: 'ipv4' | 'ipv6';
  gateway?: string;
}

export interface NetworkModel {
  id: string;
  name: string;
  driver: string;
  scope: string;
  subnets: Subnet[];
  internal: boolean;
  attachable: boolean;
  ipv6: boolean;
  /** Linux bridge device for bridge networks: `com.docker.network.bridge.name`, else `br-<first 12 of id>`. */
  bridgeName?: string;
  /** Inter-container communication (`com.docker.network.bridge.enable_icc`); true unless switched off. */
  icc: boolean;
  /** Outgoing NAT (`com.docker.network.bridge.enable_ip_masquerade`); true unless switched off. */
  masquerade: boolean;
  labels: Record<string, string>;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** An inclusive interval of ports. Ranges stay intervals end to end: nothing expands them to one object per port. */
export interface PortRange {
  start: number;
  end: number;
}

/**
 * Host ports published to a container, compacted: one object per host IP, protocol and run of consecutive host ports
 * that map to consecutive container ports (the API lists one entry per port and address family).
 */
export interface PortBinding {
  /** As the engine reports it: `0.0.0.0`, `::`, `127.0.0.1`, … */
  hostIp: string;
  protocol: PortProtocol;
  host: PortRange;
  container: PortRange;
}

/** Container ports exposed (image EXPOSE or `--expose`) but not published on the host. */
export interface ExposedPorts {
  protocol: PortProtocol;
  container: PortRange;
}

/** A container's attachment to one network. */
export interface EndpointModel {
  networkId: string;
  networkName: string;
  ipv4?: string;
  ipv4PrefixLength?: number;
  ipv6?: string;
  ipv6PrefixLength?: number;
  gateway?: string;
  ipv6Gateway?: string;
  mac?: string;
  /** Network-scoped aliases and DNS names; list calls of older engines leave them out (inspect has them). */
  aliases: string[];
}

export interface ContainerModel {
  id: string;
  /** Without the leading `/`. */
  name: string;
  image: string;
  /** `running`, `exited`, `created`, `paused`, `restarting`, `removing`, `dead`. */
  state: string;
  /** `Up 3 minutes`, `Exited (0) 2 hours ago`. */
  status: string;
  /** `default`, `bridge`, `host`, `none`, `container:<id>` or a network name. */
  networkMode: string;
  endpoints: EndpointModel[];
  /** Sorted by protocol, host IP, host port. */
  bindings: PortBinding[];
  exposed: ExposedPorts[];
  labels: Record<string, string>;
}

/** What the views show: every network and every container, read with two list calls. */
export interface EngineModel {
  networks: NetworkModel[];
  containers: ContainerModel[];
}
