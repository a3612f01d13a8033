// The normalized engine model the views read. Built only by src/core/engine/normalize*.ts.
import type { PortProtocol } from '../net/portInterval';

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

/**
 * Host ports published to a container, compacted: one object per protocol and run of consecutive host ports that map
 * to consecutive container ports, with every host IP that publishes exactly that run. The API lists one entry per port
 * and address family: `-p 40000-40099:40000-40099/udp` is 200 entries and one binding on `0.0.0.0` and `::`; a run
 * that differs on another address (or only exists there) is a binding of its own. Flat on purpose (no nested range
 * objects): a large engine has tens of thousands of these. Ranges are inclusive.
 */
export interface PortBinding {
  /**
   * As the engine reports them, IPv4 first: `0.0.0.0`, `::`, `127.0.0.1`, … Shared by a container's bindings on the
   * same addresses and frozen.
   */
  hostIps: readonly string[];
  protocol: PortProtocol;
  hostStart: number;
  hostEnd: number;
  containerStart: number;
  /** Always `containerStart + hostEnd - hostStart`: a run maps port for port. */
  containerEnd: number;
}

/** Container ports exposed (image EXPOSE or `--expose`) but not published on the host; an inclusive range. */
export interface ExposedPorts {
  protocol: PortProtocol;
  containerStart: number;
  containerEnd: number;
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
  /** Sorted by host port, protocol, host end, container port (compactPorts.compareBindings). */
  bindings: PortBinding[];
  exposed: ExposedPorts[];
  labels: Record<string, string>;
}

/** What the views show: every network and every container, read with two list calls. */
export interface EngineModel {
  networks: NetworkModel[];
  containers: ContainerModel[];
}
