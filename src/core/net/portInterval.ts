// The one port-interval type of the core (compose entries, cost, firewall matches) and the one way to write one.
// The engine model keeps its bindings flat (hostStart/hostEnd/containerStart: one small object per run, built for
// 60,000 `Ports` entries per refresh); hostPortsOf turns a binding's host ports into an interval where one is wanted.

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** An inclusive interval of ports; ranges are never expanded to one object per port. */
export interface PortInterval {
  start: number;
  end: number;
}

/** `8080` or `40000-40099`. */
export function formatRange(start: number, end: number): string {
  return start === end ? String(start) : `${start}-${end}`;
}

/** `8080`, `8000-8010`: an interval written the way compose writes it. */
export function formatInterval(p: PortInterval): string {
  return formatRange(p.start, p.end);
}

/** The host ports of a flat engine binding. */
export function hostPortsOf(b: { hostStart: number; hostEnd: number }): PortInterval {
  return { start: b.hostStart, end: b.hostEnd };
}
