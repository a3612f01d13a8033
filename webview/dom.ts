// The only way the firewall view makes DOM: elements with text and attributes, never markup. Rule text and comments
// come from the engine's host and are attacker-controlled; they reach the page through textContent and attributes.
import { shortCount } from './rows';

export type Child = Node | string | undefined | false;

export const present = (...nodes: Array<Node | undefined>): Node[] => nodes.filter((n): n is Node => n !== undefined);

/** Creates an element; strings become text nodes. */
export function h(tag: string, props: Record<string, string | number | boolean> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (typeof v === 'boolean') { if (v) el.setAttribute(k, ''); }
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

const ownerLabel: Record<string, string> = {
  docker: 'Docker', ufw: 'ufw', firewalld: 'firewalld', 'kube-proxy': 'kube-proxy', flannel: 'flannel', cni: 'CNI',
  calico: 'Calico', system: 'system', other: 'other',
};

export function ownerBadge(owner: string): HTMLElement {
  return h('span', { class: `owner owner-${owner}`, text: ownerLabel[owner] ?? owner });
}

export function counterText(c: { packets: number; bytes: number; approximate?: boolean } | undefined): string {
  return c ? `${shortCount(c.packets)} pkts ${shortCount(c.bytes)} B` : '';
}

export function formatKb(kb: number): string {
  return kb >= 1024 * 1024 ? `${(kb / 1024 / 1024).toFixed(1)} GB` : kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} kB`;
}
