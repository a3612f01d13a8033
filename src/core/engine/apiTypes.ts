// The parts of Docker Engine API responses the model reads, every field optional: responses differ across API
// versions (1.41 .. 1.52) and engines, and nothing here trusts them. Only src/core/engine/normalize*.ts reads these.

export interface ApiIpamConfig {
  Subnet?: string;
  Gateway?: string;
  IPRange?: string;
}

/** An item of `GET /networks` (also the body of `GET /networks/{id}`). */
export interface ApiNetwork {
  Id?: string;
  Name?: string;
  Driver?: string;
  Scope?: string;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  IPAM?: { Driver?: string; Config?: ApiIpamConfig[] | null; Options?: Record<string, string> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  Containers?: Record<string, unknown> | null;
}

/** An item of a container's `Ports` in `GET /containers/json`: one per port and address family. */
export interface ApiPort {
  IP?: string;
  PrivatePort?: number;
  PublicPort?: number;
  Type?: string;
}

/** `NetworkSettings.Networks[name]` (EndpointSettings). `DNSNames` from API 1.44; list calls may omit aliases. */
export interface ApiEndpointSettings {
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  MacAddress?: string;
  Aliases?: string[] | null;
  DNSNames?: string[] | null;
}

/** An item of `GET /containers/json?all=1`. API 1.52 dropped the top-level `NetworkSettings.IPAddress` & co. */
export interface ApiContainer {
  Id?: string;
  Names?: string[] | null;
  Image?: string;
  State?: string;
  Status?: string;
  Ports?: ApiPort[] | null;
  Labels?: Record<string, string> | null;
  HostConfig?: { NetworkMode?: string } | null;
  NetworkSettings?: { Networks?: Record<string, ApiEndpointSettings | null> | null; IPAddress?: string } | null;
}

/** One line of `GET /events`. */
export interface ApiEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null } | null;
  time?: number;
  timeNano?: number;
}
