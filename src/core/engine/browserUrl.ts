// The address to open for a published TCP port: the host the engine runs on (loopback for a local socket), the
// binding's own address when it is bound to one, and the first host port of the range.
import type { EngineEndpoint } from './endpoint';
import type { PortBinding } from './model';

const wildcard = new Set(['0.0.0.0', '::', '']);

/**
 * `http://localhost:8080/`; `https://` for 443 and 8443. Undefined for UDP and SCTP. Of several host IPs, the first
 * (IPv4 first).
 */
export function browserUrlFor(binding: Pick<PortBinding, 'hostIps' | 'protocol' | 'hostStart'>, endpoint: EngineEndpoint): string | undefined {
  if (binding.protocol !== 'tcp') return undefined;
  const hostIp = binding.hostIps[0] ?? '';
  let host: string;
  if (!wildcard.has(hostIp)) host = hostIp;
  else if (endpoint.kind === 'tcp' || endpoint.kind === 'ssh') host = endpoint.hostname;
  else host = 'localhost';
  if (host.includes(':')) host = `[${host}]`;
  const port = binding.hostStart;
  const scheme = port === 443 || port === 8443 ? 'https' : 'http';
  return `${scheme}://${host}:${port}/`;
}
