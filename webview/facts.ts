// The header of the firewall view: where the rules came from, the backend, Docker's layout, the userland proxy with
// its docker-proxy processes, the sysctls and the parser's notes.
import { formatKb, h, present } from './dom';
import type { ViewData } from './protocol';

export function renderFacts(data: ViewData): Node[] {
  const f = data.facts;
  const fact = (label: string, value: string | Node, title?: string) =>
    h('div', { class: 'fact', title: [typeof value === 'string' ? value : value.textContent ?? '', title ?? ''].filter(Boolean).join('\n') },
      h('span', { class: 'label', text: label }), typeof value === 'string' ? h('span', { class: 'value', text: value }) : value);
  const proxy = h('span', { class: 'value' }, h('vscode-badge', { class: `proxy proxy-${f.userlandProxy}` }, f.userlandProxy),
    f.dockerProxyCount !== undefined
      ? ` ${f.dockerProxyCount} docker-proxy process${f.dockerProxyCount === 1 ? '' : 'es'}`
        + `${f.dockerProxyPssKb ? `, ${formatKb(f.dockerProxyPssKb)} Pss in total` : ''}`
      : '');
  const items = [
    fact(f.origin === 'engine' ? 'Engine' : 'Dump', f.engine ? `${f.engine} (${f.source})` : f.source),
    fact('Read by', f.method),
    fact('Backend', f.backend),
    fact('Docker layout', f.era, f.eraEvidence.join(', ')),
    fact('Userland proxy', proxy, [...f.userlandProxyEvidence, f.proxyProcessCheck ?? ''].filter(Boolean).join('\n')),
    fact('Rules', `${f.ruleCount.toLocaleString('en')} in ${data.tables.length} tables (${f.formats.join(', ') || 'no format recognised'})`),
  ];
  const sysctls = f.sysctls.length
    ? h('details', { class: 'sysctls' }, h('summary', { text: `${f.sysctls.length} sysctls` }),
      h('dl', {}, ...f.sysctls.flatMap((s) => [h('dt', { text: s.key }), h('dd', { text: s.value })])))
    : undefined;
  const notes = [...f.notes, ...f.diagnostics];
  const notesEl = notes.length
    ? h('details', { class: 'notes' }, h('summary', { text: `${notes.length} notes` }), h('ul', {}, ...notes.map((n) => h('li', { text: n })))) : undefined;
  return present(h('div', { class: 'fact-grid' }, ...items), sysctls, notesEl);
}
