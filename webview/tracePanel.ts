// The packet trace beside the rules: a form (protocol, port, from outside / localhost / an IP, optional host
// address), checked before it is sent, and the result as a verdict and a list of steps, each linked to its rule.
import { h, present } from './dom';
import type { TraceRequestMessage, ViewTrace } from './protocol';

type Field = HTMLElement & { value: string };

export interface TracePanelHost {
  /** A checked request to send to the extension. */
  request(request: TraceRequestMessage): void;
  /** The index of the rule with this id in the current data, if any. */
  ruleIndex(id: string): number | undefined;
  /** Shows a rule in the list. */
  showRule(rule: number): void;
}

export class TracePanel {
  readonly element: HTMLElement;
  private readonly resultEl: HTMLElement;
  private readonly protocolEl: Field;
  private readonly portEl: Field;
  private readonly fromEl: Field;
  private readonly ipEl: Field;
  private readonly toEl: Field;

  constructor(private readonly host: TracePanelHost) {
    this.protocolEl = h('vscode-single-select', { 'aria-label': 'Protocol' },
      h('vscode-option', { value: 'tcp' }, 'tcp'), h('vscode-option', { value: 'udp' }, 'udp'), h('vscode-option', { value: 'sctp' }, 'sctp')) as Field;
    this.portEl = h('vscode-textfield', { class: 'port', placeholder: 'port', 'aria-label': 'Host port', inputmode: 'numeric' }) as Field;
    this.fromEl = h('vscode-single-select', { 'aria-label': 'From' },
      h('vscode-option', { value: 'outside' }, 'from outside'), h('vscode-option', { value: 'localhost' }, 'from localhost'),
      h('vscode-option', { value: 'ip' }, 'from IP…')) as Field;
    this.ipEl = h('vscode-textfield', { class: 'ip', placeholder: 'source IP (a container)', 'aria-label': 'Source IP address', hidden: true }) as Field;
    this.toEl = h('vscode-textfield',
      { class: 'to', placeholder: 'to host address (optional)', 'aria-label': 'Host address connected to (optional)' }) as Field;
    const traceButton = h('vscode-button', { class: 'trace-button' }, 'Trace');
    const form = h('form', { class: 'trace-form', 'aria-label': 'Trace a new connection' },
      h('div', { class: 'trace-fields' }, this.protocolEl, this.portEl), h('div', { class: 'trace-fields' }, this.fromEl, this.ipEl),
        h('div', { class: 'trace-fields' }, this.toEl), traceButton);
    this.resultEl = h('div', { class: 'trace-result' },
      h('p', { class: 'hint', text: 'Why can\'t I reach port P? Trace a new connection through the rules: each step links to its rule.' }));
    this.element = h('aside', { class: 'trace', 'aria-label': 'Packet trace' }, h('h2', { text: 'Packet trace' }), form, this.resultEl);

    this.fromEl.addEventListener('change', () => { this.ipEl.hidden = this.fromEl.value !== 'ip'; });
    const submit = (e?: Event) => { e?.preventDefault(); this.submit(); };
    form.addEventListener('submit', submit);
    traceButton.addEventListener('click', submit);
    for (const f of [this.portEl, this.ipEl, this.toEl]) f.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') submit(e); });
  }

  fill(t: TraceRequestMessage): void {
    this.protocolEl.value = t.protocol;
    this.portEl.value = String(t.port);
    const fromIp = t.from !== 'outside' && t.from !== 'localhost';
    this.fromEl.value = fromIp ? 'ip' : t.from;
    this.ipEl.value = fromIp ? t.from : '';
    this.ipEl.hidden = !fromIp;
    this.toEl.value = t.to ?? '';
  }

  /** The rules changed under a shown trace. */
  markStale(): void {
    this.resultEl.replaceChildren(h('p', { class: 'hint', text: 'The rules changed: trace again.' }));
  }

  private message(text: string, kind: 'error' | 'hint'): void {
    this.resultEl.replaceChildren(h('p', { class: kind, text }));
  }

  private submit(): void {
    const port = Number(String(this.portEl.value ?? '').trim());
    if (!Number.isInteger(port) || port < 1 || port > 65535) return this.message('Give a port from 1 to 65535.', 'error');
    const protocol = (['tcp', 'udp', 'sctp'].includes(this.protocolEl.value) ? this.protocolEl.value : 'tcp') as TraceRequestMessage['protocol'];
    const from = this.fromEl.value === 'ip' ? String(this.ipEl.value ?? '').trim() : (this.fromEl.value || 'outside');
    if (!from || from.length > 64) return this.message('Give the source IP address.', 'error');
    const to = String(this.toEl.value ?? '').trim();
    if (to.length > 64) return this.message('The host address is too long.', 'error');
    this.message('Tracing…', 'hint');
    this.host.request({ protocol, port, from, ...(to ? { to } : {}) });
  }

  /** Shows a trace; returns the rule that decided it, if the current data holds it. */
  show(trace: ViewTrace): number | undefined {
    this.fill(trace.request);
    const stepItems = trace.steps.map((s, i) => {
      const rule = s.ruleId ? this.host.ruleIndex(s.ruleId) : undefined;
      const label = h('span', { class: 'step-text' }, h('span', { class: 'where', text: s.where }), h('span', { class: 'what', text: s.text }));
      const content = rule !== undefined
        ? h('button', { class: 'step-link', 'data-step-rule': rule, title: `Show rule ${s.ruleId}` }, label)
        : label;
      return h('li', { class: `step effect-${s.effect}`, 'data-step': i }, content);
    });
    const verdictRule = trace.verdict.ruleId ? this.host.ruleIndex(trace.verdict.ruleId) : undefined;
    const verdict = h('div', { class: `verdict verdict-${trace.verdict.kind}`, role: 'status' },
      h('vscode-badge', { class: 'verdict-kind' }, trace.verdict.kind), h('span', { class: 'verdict-text', text: ` ${trace.verdict.text}` }));
    if (verdictRule !== undefined) verdict.append(' ',
      h('button', { class: 'link', 'data-step-rule': verdictRule, title: 'Show the deciding rule' }, 'show rule'));
    const req = trace.request;
    this.resultEl.replaceChildren(...present(
      h('p', { class: 'trace-title', text: `${req.protocol}/${req.port} from ${req.from}${req.to ? ` to ${req.to}` : ''}` }),
      verdict,
      h('ol', { class: 'steps' }, ...stepItems),
      trace.assumptions.length
        ? h('details', { class: 'assumptions' }, h('summary', { text: `${trace.assumptions.length} assumptions` }),
        h('ul', {}, ...trace.assumptions.map((a) => h('li', { text: a })))) : undefined,
    ));
    for (const b of this.resultEl.querySelectorAll<HTMLElement>('[data-step-rule]')) {
      b.addEventListener('click', () => {
        for (const x of this.resultEl.querySelectorAll('.current')) x.classList.remove('current');
        b.closest('li')?.classList.add('current');
        this.host.showRule(Number(b.dataset.stepRule));
      });
    }
    return verdictRule;
  }
}
