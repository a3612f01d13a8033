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
