// What a packet trace is asked and answers (trace.ts walks the rules).
import type { ProxyState } from './layout';
import type { EngineFacts } from './link';

export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

export interface TraceRequest {
  protocol: 'tcp' | 'udp' | 'sctp';
  /** The host port the connection is made to. */
  port: number;
  /** `outside` (another machine), `localhost` (127.0.0.1 on the host), or a container's IP address. */
  from: 'outside' | 'localhost' | string;
  /** The host address connected to; default a stand-in public address of the host (198.51.100.10). */
  toAddress?: string;
  /** The interface traffic from outside arrives on (default `eth0`). */
  inInterface?: string;
  /** Overrides what the rules say about the userland proxy. */
  userlandProxy?: ProxyState;
  facts?: EngineFacts;
}

export type StepEffect =
  | 'jump' | 'goto' | 'return' | 'accept' | 'drop' | 'reject' | 'dnat' | 'snat' | 'masquerade' | 'redirect'
  | 'vmap' | 'continue' | 'policy' | 'unevaluated' | 'route';

export interface TraceStep {
  hook: Hook | 'routing';
  table: string;
  chain: string;
  /** The rule hit (`ipv4/nat/DOCKER#4`); absent for policies and routing steps. */
  ruleId?: string;
  effect: StepEffect;
  text: string;
}

export type VerdictKind = 'container' | 'docker-proxy' | 'host' | 'dropped' | 'rejected' | 'routed-out';

export interface TraceVerdict {
  kind: VerdictKind;
  text: string;
  container?: { name: string; id: string };
  /** Where the packet ends: the container's address and port after DNAT, or the host's. */
  address?: string;
  port?: number;
  /** The rule that decided (the DROP, the DNAT), when one did. */
  ruleId?: string;
}

export interface TraceResult {
  steps: TraceStep[];
  verdict: TraceVerdict;
  /** What the trace had to assume (unevaluated matches, unknown sets, a stand-in host address). */
  assumptions: string[];
  /** A rule that could have changed the verdict could not be evaluated (an unknown match on a deciding rule, a DNAT
   *  without its destination): the verdict is what happens if it did not match, and the assumptions say which. */
  undetermined?: true;
}
