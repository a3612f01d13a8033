// published-on-all-interfaces: a port published on every address of the host. Docker's DNAT and FORWARD rules run
// before ufw's and firewalld's INPUT rules, so such a port is reachable from other hosts whatever the host firewall
// says. Off by default; a warning where the engine's host runs a firewall Docker bypasses. Fix: bind to 127.0.0.1.
import { bindToLoopbackEditsIn } from '../fixes';
import type { ServiceModel, SourceRange } from '../model';
import { formatHostIp, isWildcardIp } from '../../net/addresses';
import { publishedEntries } from '../publishedPorts';
import type { ComposeRule, FindingsOut, FixKind, FixRequestBase } from './rule';

/** "Bind to 127.0.0.1" for the port entry at `entry`. */
interface BindToLoopbackRequest extends FixRequestBase<'bind-to-loopback'> {
  entry: SourceRange;
}

const bindToLoopbackFix: FixKind<BindToLoopbackRequest> = {
  kind: 'bind-to-loopback',
  resolve(f, yamlByFile) {
    const yaml = yamlByFile.get(f.entry.file);
    if (!yaml) return undefined;
    const edits = bindToLoopbackEditsIn(yaml, f.entry.start);
    return edits && { title: 'Bind to 127.0.0.1', isPreferred: f.isPreferred, edits };
  },
};

export const publishedOnAllInterfacesRule: ComposeRule<'published-on-all-interfaces', BindToLoopbackRequest> = {
  code: 'published-on-all-interfaces',
  defaultSeverity: 'off',
  summary: 'The port listens on every interface of the host, and Docker\'s rules come before ufw\'s and firewalld\'s; '
    + 'bind it to 127.0.0.1 if only the host needs it.',
  /** On where the engine's host runs a firewall Docker bypasses. */
  defaultSeverityFor: (options) => (options.hostFirewall ? 'warning' : 'off'),
  run: ({ services, options }, out) => { for (const s of services) publishedOnAllInterfaces(s, options.hostFirewall, out); },
  fixes: [bindToLoopbackFix],
};

const internalLooking = new RegExp('(postgres|mysql|mariadb|redis|mongo|memcached|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|nats|etcd|'
  + 'clickhouse|cassandra|minio|db\\b)', 'i');
const internalPorts = new Set([3306, 5432, 6379, 27017, 11211, 9200, 9300, 5672, 9092, 2181, 4222, 2379, 8123, 9042, 9000]);

function publishedOnAllInterfaces(
  svc: ServiceModel, hostFirewall: string | undefined, out: FindingsOut<'published-on-all-interfaces', BindToLoopbackRequest>,
): void {
  for (const e of publishedEntries(svc)) {
    if (e.hostIp && !isWildcardIp(e.hostIp)) continue;
    const looksInternal = internalLooking.test(svc.image ?? '') || internalLooking.test(svc.name) || internalPorts.has(e.target.start);
    const where = e.hostIp ? formatHostIp(e.hostIp) : '0.0.0.0 and [::]';
    const fixes: BindToLoopbackRequest[] = [{ kind: 'bind-to-loopback', entry: e.range, isPreferred: looksInternal }];
    const bypass = hostFirewall
      ? `this engine's host runs ${hostFirewall}; Docker's rules bypass it (its DNAT and FORWARD rules run before ${hostFirewall}'s INPUT rules), so the ` +
        `port is reachable from any network that reaches the host.`
      : 'every interface of the host, and Docker\'s iptables rules bypass ufw/firewalld.';
    out.push({
      code: 'published-on-all-interfaces' as const, service: svc.name, range: e.range, fixes,
      ...(hostFirewall ? { severity: 'warning' as const } : {}),
      message: `${e.text} is published on ${where}: ${bypass}`
        + (looksInternal ? ` ${svc.name} looks internal: bind it to 127.0.0.1.` : ' Bind it to 127.0.0.1 unless other machines need it.'),
    });
  }
}
