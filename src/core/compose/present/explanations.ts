// Text shown in hovers: the alternatives to publishing a port range, with their trade-offs. A table, not string soup.
export interface Alternative {
  title: string;
  text: string;
}

export const portAlternatives: readonly Alternative[] = [
  {
    title: '`network_mode: host`',
    text: 'no docker-proxy and no NAT: the service listens on the host directly. No network isolation, no `networks:` and no service-name DNS; Docker ' +
      'Desktop needs 4.34+ with host networking switched on.',
  },
  {
    title: '`"userland-proxy": false` in daemon.json',
    text: 'iptables rules only, no processes. Applies to the whole engine; big ranges still start slowly, and loopback/hairpin traffic goes through extra ' +
      'NAT rules.',
  },
  {
    title: 'a narrower range',
    text: 'cost grows with every port; many media and TURN servers let you configure how many relay ports they use.',
  },
];
