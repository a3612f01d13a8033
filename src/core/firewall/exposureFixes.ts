// What closes a port Docker publishes past the host firewall, as text to copy: never run by the extension. The
// DOCKER-USER rule matches the connection's original destination port (conntrack), so it names the host port the
// outside world used, before Docker's DNAT; Docker leaves DOCKER-USER alone and jumps to it first from FORWARD.
import type { BindingExposure } from './exposure';

export interface ExposureFix {
  title: string;
  /** The command to copy, one argument per item (shown joined with spaces; nothing here is run). */
  argv: string[];
  /** What it changes and what it leaves, in words. */
  detail: string;
}

export function exposureFixes(e: BindingExposure): ExposureFix[] {
  const b = e.binding;
  const ports = b.hostPortEnd !== undefined ? `${b.hostPort}:${b.hostPortEnd}` : `${b.hostPort}`;
  const tool = b.hostIp?.includes(':') ? 'ip6tables' : 'iptables';
  const fixes: ExposureFix[] = [{
    title: `Drop outside connections to ${ports}/${b.protocol} in DOCKER-USER`,
    argv: [tool, '-I', 'DOCKER-USER', '-p', b.protocol, '-m', 'conntrack', '--ctorigdstport', ports, '--ctdir', 'ORIGINAL', '-j', 'DROP'],
    detail: 'Docker runs DOCKER-USER before its own FORWARD rules and never changes it. This drops every forwarded '
      + `connection made to host port ${ports}/${b.protocol} (the host itself still reaches it through docker-proxy); `
      + 'add `-i <your external interface>` or `! -s <your LAN>` to keep other sources. Not persistent: save it with '
      + 'your firewall\'s tooling (iptables-persistent, or ufw\'s after.rules).',
  }];
  if (e.firewall.kind === 'ufw') {
    fixes.push({
      title: 'Let ufw decide for containers (the ufw-docker approach)',
      argv: ['ufw', 'route', 'allow', 'proto', b.protocol, 'from', '<allowed source>', 'to', b.containerAddress ?? '<container address>', 'port',
        String(b.containerPort)],
      detail: '`ufw route` rules apply to Docker\'s traffic only once /etc/ufw/after.rules makes DOCKER-USER jump to '
        + 'ufw-user-forward and drop the rest (as github.com/chaifeng/ufw-docker sets up); they name the container\'s '
        + 'address and port, after DNAT.',
    });
  }
  return fixes;
}
