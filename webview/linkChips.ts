// The chips after a rule's text: the containers (or networks) the rule was linked to. A click shows only that
// object's rules (app.ts reads `data-link-rule` and `data-link`).
import { h } from './dom';
import type { ViewLink } from './protocol';

/** Container chips, or network chips when the rule names no container (a DNAT's network adds nothing). */
export function linkChips(links: ViewLink[] | undefined, rule: number): HTMLElement[] {
  if (!links) return [];
  const containers = links.some((l) => l.kind === 'container');
  return links.flatMap((l, i) => (containers && l.kind !== 'container' ? [] : [linkChip(l, rule, i)]));
}

function linkChip(l: ViewLink, rule: number, index: number): HTMLElement {
  const label = l.kind === 'container' ? `${l.port ? `${l.port} ` : ''}${l.name}` : `net ${l.name}`;
  return h('a',
    { class: `chip chip-${l.kind}`, href: '#', 'data-link-rule': rule, 'data-link': index,
      title: `${l.role}: ${l.kind} ${l.name}${l.port ? ` (${l.port})` : ''}. Show only its rules.`, text: label });
}
