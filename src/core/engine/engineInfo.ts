// What `GET /info` says that the cost figures depend on. Engines from 29.x report whether the userland proxy is on in
// `FirewallBackend.Info`, as label/value pairs (moby/moby#52321; `docker info` prints them under "Firewall Backend:"):
//   "FirewallBackend": { "Driver": "iptables", "Info": [["EnableUserlandProxy", "true"], ["UserlandProxyPath", "/usr/bin/docker-proxy"]] }
// Older engines (20.10: test/fixtures/engine/info-20.10.24-api1.41.json) have no FirewallBackend; the API documents
// the pairs as unstable, so anything but a plain true/false is read as "not reported".

/** Whether the engine reports the userland proxy on (true), off (false), or does not say (undefined). */
export function userlandProxyFromInfo(info: unknown): boolean | undefined {
  const backend = (info as { FirewallBackend?: unknown } | null | undefined)?.FirewallBackend;
  const pairs = (backend as { Info?: unknown } | null | undefined)?.Info;
  if (!Array.isArray(pairs)) return undefined;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || pair[0].toLowerCase() !== 'enableuserlandproxy') continue;
    const value = String(pair[1]).trim().toLowerCase();
    return value === 'true' ? true : value === 'false' ? false : undefined;
  }
  return undefined;
}
