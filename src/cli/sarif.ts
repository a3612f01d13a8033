// SARIF 2.1.0 for `check --format sarif`, valid by Microsoft's SARIF validator (test/unit/cli/sarif.test.ts runs it):
// links only where they are absolute and real (a README on GitHub when package.json names a GitHub repository), the
// tool's version, and each rule's help as text.
import * as path from 'node:path';
import { findingCodes, type Finding, type FindingCode } from '../core/compose';
import type { LineIndex } from './lineColumn';

// put in by esbuild (`define`) from package.json at build time; the repository URL is '' unless it is a real one
declare const DND_VERSION: string;
declare const DND_REPOSITORY_URL: string;

/** One sentence per finding code, as the README explains it. */
const ruleHelp: Record<FindingCode, string> = {
  'port-range-proxy-cost': 'A service publishes many host ports: each costs a docker-proxy process per address family (while the userland proxy is on) and ' +
    'iptables rules; use host networking, turn the userland proxy off or narrow the range.',
  'host-port-conflict': 'Two services, or a service and a running container, publish the same host port on overlapping addresses: the second to start fails.',
  'ports-ignored-by-network-mode': 'ports are ignored with network_mode host, none, service: or container:; remove them or change the network mode.',
  'published-port-unreachable': 'The service publishes ports but is attached only to internal, ipvlan or macvlan networks, which the host cannot forward to: ' +
    'the ports can never be reached.',
  'port-range-length-mismatch': 'A published range and its container range differ in length; compose refuses the entry.',
  'invalid-port': 'An entry compose cannot read: a port outside 1-65535, a reversed range, an unknown protocol or key, a host IP that is not an address.',
  'published-on-all-interfaces': 'The port listens on every interface of the host, and Docker\'s rules come before ufw\'s and firewalld\'s; bind it to ' +
    '127.0.0.1 if only the host needs it.',
  'default-bridge-no-dns': 'Services that depend on each other over Docker\'s default bridge, which has no embedded DNS; use the project\'s network or links.',
  'unresolved-variable': 'A variable used in a port, expose or network_mode value is set nowhere and has no default; the value is not guessed.',
  'invalid-compose-file': 'Not valid YAML, more than one document, not a map at the top level, an extends that cannot be resolved, or a file that could not ' +
    'be read.',
  'undefined-network': 'A service names a network the project does not define, or network_mode service: names a service that does not exist; compose refuses ' +
    'the project (in a file that looks like an overlay: a hint naming the base file it expects).',
  'invalid-network-config': 'A network or ipam key compose does not know, a subnet with host bits set, a gateway, ip_range, aux address or static address ' +
    'outside its subnet, a static address on a network without a subnet, or two services with the same static address: compose or the engine refuses it.',
  'subnet-overlap': 'Two networks of the project, or a project network and one already on the engine, have overlapping subnets: the engine refuses the ' +
    'second ("Pool overlaps with other one on this address space").',
};

/** `https://github.com/o/r` for a GitHub repository URL in any of npm's spellings; undefined otherwise. */
export function githubRepository(url: string): string | undefined {
  const m = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url.trim())
    ?? /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url.trim());
  return m ? `https://github.com/${m[1]}/${m[2]}` : undefined;
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** Where the README explains a code, as an absolute URL, when the repository is a real GitHub one. */
function helpUri(code: FindingCode): string | undefined {
  const repo = githubRepository(DND_REPOSITORY_URL);
  return repo ? `${repo}/blob/HEAD/README.md#${code}` : undefined;
}

export function toSarif(findings: readonly Finding[], lineIndex: (file: string) => LineIndex) {
  const repo = githubRepository(DND_REPOSITORY_URL);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'docker-network-doctor',
          version: DND_VERSION,
          semanticVersion: DND_VERSION,
          ...(repo ? { informationUri: repo } : {}),
          rules: findingCodes.map((id) => {
            const uri = helpUri(id);
            return {
              id,
              shortDescription: { text: `${id.replace(/-/g, ' ')}.` },
              fullDescription: { text: ruleHelp[id] },
              help: { text: ruleHelp[id] },
              ...(uri ? { helpUri: uri } : {}),
            };
          }),
        },
      },
      results: findings.map((f) => {
        const index = lineIndex(f.range.file);
        const start = index.at(f.range.start);
        const end = index.at(f.range.end);
        return {
          ruleId: f.code,
          ruleIndex: findingCodes.indexOf(f.code),
          level: sarifLevel[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: fileUri(f.range.file) },
              region: {
                startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                charOffset: f.range.start, charLength: f.range.end - f.range.start,
              },
            },
          }],
        };
      }),
    }],
  };
}

/** A relative reference for a relative name (what code-scanning tools resolve against the checkout), a file: URI
 *  for an absolute one; characters a URI cannot hold are percent-encoded. */
function fileUri(fileName: string): string {
  const slashed = fileName.split(path.sep).join('/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return path.isAbsolute(fileName) ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}
