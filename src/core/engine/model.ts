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
