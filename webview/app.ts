// The firewall view: host facts (facts.ts), a toolbar (filter, only Docker, focus), the rules as a virtual list of
// tables → chains → rules with keyboard navigation, and the packet trace beside them (tracePanel.ts). Every piece of
// data reaches the DOM through dom.ts (textContent or attributes), never innerHTML: rule text and comments come from
// the engine's host.
import {
  parseToWebview, parseViewData, type FromWebview, type PersistedViewState, type ToWebview, type TraceRequestMessage, type ViewData, type ViewFocus,
  type ViewTrace,
} from './protocol';
import { counterText, h, ownerBadge, present } from './dom';
import { renderFacts } from './facts';
import { linkChips } from './linkChips';
import { buildRows, RowKind, ruleBody, rulesForFocus, shortCount, type RowList } from './rows';
import { RuleTable } from './ruleTable';
import { TracePanel } from './tracePanel';
import { VirtualList } from './virtualList';

export const ROW_HEIGHT = 22;

export interface HostApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PersistedViewState): void;
}

export class FirewallApp {
  private data: ViewData | undefined;
  private rules: RuleTable | undefined;
  /** The rules the current filter finds, for `hitsFor`. */
  private hits: { filter: string; hits: Uint8Array } | undefined;
  private rows: RowList = { kinds: new Uint8Array(0), refs: new Int32Array(0), length: 0, matchingRules: 0 };
  private filter = '';
  private onlyDocker = false;
  private focus: ViewFocus | null = null;
  private focusRules: Set<number> | undefined;
  private readonly collapsedTables = new Set<number>();
  private readonly collapsedChains = new Set<number>();
  private traceHits = new Set<number>();
  private traceVerdictRule = -1;
  private flashRule = -1;
  private active = 0;
  private tableRuleCounts: number[] = [];
  private dataArrivedAt = 0;
  private reportRender = false;
  private trace: ViewTrace | undefined;
  private lastTraceRequest: TraceRequestMessage | undefined;

  private readonly factsEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly countEl: HTMLElement;
  private readonly focusEl: HTMLElement;
  private readonly filterEl: HTMLElement & { value: string };
  private readonly onlyDockerEl: HTMLElement & { checked: boolean };
  private readonly list: VirtualList;
  private readonly tracePanel: TracePanel;

  constructor(root: HTMLElement, private readonly host: HostApi) {
    const saved = host.getState() as PersistedViewState | undefined;
    this.filter = typeof saved?.filter === 'string' ? saved.filter : '';
    this.onlyDocker = saved?.onlyDocker === true;

    this.factsEl = h('section', { class: 'facts', 'aria-label': 'Host facts' });
    this.statusEl = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.filterEl = h('vscode-textfield',
      { class: 'filter', placeholder: 'Filter rules (text, chain, comment, container)', 'aria-label': 'Filter rules' }) as HTMLElement & { value: string };
    this.filterEl.value = this.filter;
    this.onlyDockerEl = h('vscode-checkbox', { label: 'Only Docker' }) as HTMLElement & { checked: boolean };
    this.onlyDockerEl.checked = this.onlyDocker;
    this.countEl = h('vscode-badge', { class: 'count', variant: 'counter' });
    this.focusEl = h('span', { class: 'focus-chip', hidden: true });
    const refresh = h('vscode-button', { secondary: true, title: 'Fetch the rules again' }, 'Refresh');
    const open = h('vscode-button', { secondary: true, title: 'Open a saved iptables-save, iptables -S/-L or nft dump' }, 'Open dump…');
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar' }, this.filterEl, this.onlyDockerEl, this.focusEl, this.countEl,
      h('span', { class: 'spacer' }), open, refresh);

    const scroller = h('div', { class: 'rules', role: 'listbox', tabindex: 0, 'aria-label': 'Firewall rules: tables, chains and rules' });
    this.list = new VirtualList(scroller, { rowHeight: ROW_HEIGHT, renderRow: (el, i) => this.renderRow(el, i) });

    this.tracePanel = new TracePanel({
      request: (request) => {
        this.lastTraceRequest = request;
        this.persist();
        host.postMessage({ type: 'trace', request });
      },
      ruleIndex: (id) => this.rules?.byId(id),
      showRule: (rule) => this.jumpToRule(rule),
    });
    root.replaceChildren(this.factsEl, this.statusEl, toolbar, h('div', { class: 'main' }, scroller, this.tracePanel.element));

    this.filterEl.addEventListener('input', () => { this.filter = this.filterEl.value ?? ''; this.persist(); this.rebuild(); });
    this.onlyDockerEl.addEventListener('change', () => { this.onlyDocker = !!this.onlyDockerEl.checked; this.persist(); this.rebuild(); });
    refresh.addEventListener('click', () => host.postMessage({ type: 'refresh' }));
    open.addEventListener('click', () => host.postMessage({ type: 'openDump' }));
    scroller.addEventListener('keydown', (e) => this.onKey(e));
    scroller.addEventListener('click', (e) => this.onClick(e));
    if (saved?.trace) this.tracePanel.fill(saved.trace);
    window.addEventListener('message', (e) => {
      const msg = parseToWebview(e.data);
      if (!msg) { host.postMessage({ type: 'log', text: 'ignored a malformed message '
        + `(${typeof e.data === 'object' && e.data ? String((e.data as { type?: unknown }).type) : typeof e.data})` }); return; }
      this.handle(msg);
    });
    this.showStatus('Waiting for the rules…');
  }

  handle(msg: ToWebview): void {
    switch (msg.type) {
      case 'loading': this.showStatus(msg.text); break;
      case 'error': this.showStatus(msg.message, msg.fix, true); break;
      case 'data': {
        this.dataArrivedAt = performance.now();
        const data = parseViewData(msg.json);
        if (data) this.setData(data);
        else this.host.postMessage({ type: 'log', text: 'ignored malformed rule data' });
        break;
      }
      case 'trace': this.showTrace(msg.trace); break;
      case 'focus': this.setFocus(msg.focus); break;
    }
  }

  private showStatus(text: string, fix?: string, error = false): void {
    this.statusEl.replaceChildren(...present(h('span', { class: error ? 'error' : 'loading', text }), fix ? h('div', { class: 'fix', text: fix }) : undefined));
    this.statusEl.hidden = false;
  }

  private persist(): void {
    const d = this.data?.facts;
    const state: PersistedViewState = { origin: d?.origin ?? 'engine', filter: this.filter, onlyDocker: this.onlyDocker };
    if (d?.origin === 'file') state.file = d.source;
    if (this.lastTraceRequest) state.trace = this.lastTraceRequest;
    this.host.setState(state);
  }

  setData(data: ViewData): void {
    this.data = data;
    const rules = (this.rules = new RuleTable(data));
    this.hits = undefined;
    this.tableRuleCounts = data.tables.map((t) => t.chains.reduce((s, c) => s + data.chains[c]!.ruleCount, 0));
    this.collapsedTables.clear();
    this.collapsedChains.clear();
    this.traceHits.clear();
    this.traceVerdictRule = -1;
    this.focusRules = this.focus ? rulesForFocus(rules, this.focus) : undefined;
    this.statusEl.hidden = true;
    this.factsEl.replaceChildren(...renderFacts(data));
    this.list.scroller.classList.toggle('no-counters', !rules.anyCounted());
    this.reportRender = true;
    this.active = 0;
    this.rebuild();
    this.persist();
    if (this.trace) this.tracePanel.markStale();
    this.trace = undefined;
  }

  private setFocus(focus: ViewFocus | null): void {
    this.focus = focus;
    this.focusRules = focus && this.rules ? rulesForFocus(this.rules, focus) : undefined;
    if (focus) {
      const clear = h('button', { class: 'link', title: 'Show all rules again', 'aria-label': 'Clear focus' }, '×');
      clear.addEventListener('click', () => this.setFocus(null));
      this.focusEl.replaceChildren(`${focus.label} · ${this.focusRules?.size ?? 0} rules `, clear);
    }
    this.focusEl.hidden = !focus;
    this.rebuild();
  }

  /** The rules the filter finds; the last filter's result is kept (collapsing a chain does not search again). */
  private hitsFor(filter: string): Uint8Array | undefined {
    const needle = filter.trim();
    if (!needle || !this.rules) return undefined;
    if (this.hits?.filter !== needle) this.hits = { filter: needle, hits: this.rules.find(needle) };
    return this.hits.hits;
  }

  private rebuild(): void {
    if (!this.data || !this.rules) return;
    this.rows = buildRows(this.data, this.rules, this.hitsFor(this.filter), {
      filter: this.filter, onlyDocker: this.onlyDocker, collapsedTables: this.collapsedTables, collapsedChains: this.collapsedChains,
      ...(this.focusRules ? { focusRules: this.focusRules } : {}),
    });
    const rules = this.rows.matchingRules;
    const total = this.rules.count;
    this.countEl.textContent = rules === total ? `${rules.toLocaleString('en')} rules` : `${rules.toLocaleString('en')} of ${total.toLocaleString('en')} rules`;
    if (this.active >= this.rows.length) this.active = Math.max(0, this.rows.length - 1);
    this.list.setCount(this.rows.length);
    this.updateActiveDescendant();
    if (this.reportRender) {
      this.reportRender = false;
      const drawn = this.list.length ? this.list.scroller.querySelectorAll('.row:not([style*="display: none"])').length : 0;
      this.host.postMessage({ type: 'rendered', rows: this.rows.length, visibleRows: drawn,
        ms: Math.round((performance.now() - this.dataArrivedAt) * 10) / 10 });
    }
  }

  // ---- rows --------------------------------------------------------------------------------------------------
  private renderRow(el: HTMLElement, i: number): void {
    const data = this.data!;
    const kind = this.rows.kinds[i]!;
    const ref = this.rows.refs[i]!;
    el.id = `row-${i}`;
    el.setAttribute('role', 'option');
    el.setAttribute('aria-selected', String(i === this.active));
    if (i === this.active) el.classList.add('active');
    if (kind === RowKind.Table) {
      const t = data.tables[ref]!;
      const collapsed = this.collapsedTables.has(ref);
      el.classList.add('table-row');
      el.setAttribute('aria-expanded', String(!collapsed));
      el.append(h('span', { class: 'twisty', text: collapsed ? '▸' : '▾' }), h('span', { class: 'name', text: t.title }), ownerBadge(t.owner),
        h('span', { class: 'meta', text: `${t.chains.length} chains · ${this.tableRuleCounts[ref]!.toLocaleString('en')} rules` }));
    } else if (kind === RowKind.Chain) {
      const c = data.chains[ref]!;
      const collapsed = this.collapsedChains.has(ref);
      el.classList.add('chain-row');
      el.dataset.chain = String(ref);
      el.setAttribute('aria-expanded', String(!collapsed));
      const meta = [c.policy ? `policy ${c.policy}` : c.builtin ? '' : 'user chain', c.hook ?? '',
        c.references !== undefined ? `${c.references} references` : '', `${c.ruleCount.toLocaleString('en')} rules`, counterText(c.counters)]
        .filter(Boolean).join(' · ');
      el.append(h('span', { class: 'twisty', text: collapsed ? '▸' : '▾' }), h('span', { class: 'name', text: c.name }),
        ...present(c.policy ? h('span', { class: `policy policy-${c.policy.toLowerCase()}`, text: c.policy }) : undefined), ownerBadge(c.owner),
        h('span', { class: 'meta', text: meta }));
    } else if (kind === RowKind.Empty) {
      el.classList.add('empty-row');
      const c = data.chains[ref]!;
      el.append(h('span', { class: 'meta', text: c.policy ? `no rules: every packet gets the policy ${c.policy}` : 'no rules' }));
    } else {
      const rules = this.rules!;
      el.classList.add('rule-row');
      el.dataset.rule = String(ref);
      if (this.traceHits.has(ref)) el.classList.add('trace-hit');
      if (ref === this.traceVerdictRule) el.classList.add('trace-verdict');
      if (this.focusRules?.has(ref)) el.classList.add('focus-hit');
      if (ref === this.flashRule) el.classList.add('flash');
      const text = rules.text(ref);
      const targetText = rules.target(ref);
      const jump = rules.jump(ref);
      const counters = rules.counters(ref);
      const target = targetText
        ? (jump !== undefined
          ? h('a', { class: 'target jump', href: '#', 'data-jump': jump, title: `Go to chain ${data.chains[jump]!.name}`, text: targetText })
          : h('span', { class: `target target-${targetText.toLowerCase().replace(/[^a-z]/g, '')}`, text: targetText }))
        : h('span', { class: 'target none', text: '—' });
      const body = h('span', { class: 'text', text: ruleBody(text) });
      el.title = `${rules.id(ref)} (line ${rules.line(ref)})\n${text}`;
      el.append(h('span', { class: 'idx', text: String(rules.index(ref)) }),
        h('span', { class: 'counters', text: counters ? `${shortCount(counters.packets)}/${shortCount(counters.bytes)}` : '' }),
        target, ownerBadge(rules.owner(ref)), ...linkChips(rules.links(ref), ref), body);
    }
  }

  private onClick(e: MouseEvent): void {
    const t = e.target as HTMLElement;
    const jump = t.closest<HTMLElement>('[data-jump]');
    if (jump) { e.preventDefault(); this.jumpToChain(Number(jump.dataset.jump)); return; }
    const chip = t.closest<HTMLElement>('[data-link]');
    if (chip) {
      e.preventDefault();
      const l = this.rules!.links(Number(chip.dataset.linkRule))?.[Number(chip.dataset.link)];
      if (!l) return;
      const focus: ViewFocus = l.kind === 'container' && l.hostPort !== undefined
        ? { kind: 'port', label: `${l.name} ${l.port ?? ''}`.trim(), id: l.id ?? l.name, hostPort: l.hostPort,
          ...(l.hostPortEnd !== undefined ? { hostPortEnd: l.hostPortEnd } : {}), ...(l.protocol ? { protocol: l.protocol } : {}) }
        : { kind: l.kind, label: l.name, id: l.id ?? l.name };
      this.setFocus(focus);
      return;
    }
    const row = t.closest<HTMLElement>('.row');
    if (!row) return;
    const i = Number(row.dataset.row);
    this.setActive(i);
    const kind = this.rows.kinds[i];
    if (kind === RowKind.Table || kind === RowKind.Chain) this.toggle(i);
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.rows.length;
    if (!n) return;
    const page = this.list.pageSize();
    const kind = this.rows.kinds[this.active];
    const ref = this.rows.refs[this.active]!;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': this.setActive(Math.min(n - 1, this.active + 1)); break;
      case 'ArrowUp': this.setActive(Math.max(0, this.active - 1)); break;
      case 'PageDown': this.setActive(Math.min(n - 1, this.active + page)); break;
      case 'PageUp': this.setActive(Math.max(0, this.active - page)); break;
      case 'Home': this.setActive(0); break;
      case 'End': this.setActive(n - 1); break;
      case 'ArrowLeft':
        if ((kind === RowKind.Table && !this.collapsedTables.has(ref)) || (kind === RowKind.Chain && !this.collapsedChains.has(ref))) this.toggle(this.active);
        else this.setActive(this.parentRow(this.active));
        break;
      case 'ArrowRight':
        if ((kind === RowKind.Table && this.collapsedTables.has(ref)) || (kind === RowKind.Chain && this.collapsedChains.has(ref))) this.toggle(this.active);
        else this.setActive(Math.min(n - 1, this.active + 1));
        break;
      case 'Enter': case ' ':
        if (kind === RowKind.Rule && this.rules!.jump(ref) !== undefined) this.jumpToChain(this.rules!.jump(ref)!);
        else if (kind === RowKind.Table || kind === RowKind.Chain) this.toggle(this.active);
        else handled = false;
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  private parentRow(i: number): number {
    const kind = this.rows.kinds[i];
    for (let j = i - 1; j >= 0; j--) {
      const k = this.rows.kinds[j];
      if (kind === RowKind.Chain ? k === RowKind.Table : k === RowKind.Chain || k === RowKind.Table) return j;
    }
    return 0;
  }

  private setActive(i: number): void {
    this.active = i;
    this.list.scrollToIndex(i);
    this.list.refresh();
    this.updateActiveDescendant();
  }

  private updateActiveDescendant(): void {
    if (this.rows.length) this.list.scroller.setAttribute('aria-activedescendant', `row-${this.active}`);
    else this.list.scroller.removeAttribute('aria-activedescendant');
  }

  private toggle(i: number): void {
    const kind = this.rows.kinds[i];
    const ref = this.rows.refs[i]!;
    const set = kind === RowKind.Table ? this.collapsedTables : this.collapsedChains;
    if (set.has(ref)) set.delete(ref); else set.add(ref);
    this.rebuild();
    const at = this.rowOf(kind === RowKind.Table ? RowKind.Table : RowKind.Chain, ref);
    if (at >= 0) this.setActive(at);
  }

  private rowOf(kind: RowKind, ref: number): number {
    const { kinds, refs, length } = this.rows;
    for (let i = 0; i < length; i++) if (kinds[i] === kind && refs[i] === ref) return i;
    return -1;
  }

  /** Makes a rule or chain visible whatever hides it (collapsed, filtered, focused elsewhere). */
  private reveal(kind: RowKind, ref: number): number {
    let at = this.rowOf(kind, ref);
    if (at >= 0) return at;
    const chain = kind === RowKind.Rule ? this.rules!.chain(ref) : ref;
    this.collapsedChains.delete(chain);
    this.collapsedTables.delete(this.data!.chains[chain]!.table);
    this.rebuild();
    at = this.rowOf(kind, ref);
    if (at >= 0) return at;
    // hidden by the filter, only Docker or the focus: show everything
    this.filter = '';
    this.filterEl.value = '';
    this.onlyDocker = false;
    this.onlyDockerEl.checked = false;
    if (this.focus) { this.focus = null; this.focusRules = undefined; this.focusEl.hidden = true; }
    this.persist();
    this.rebuild();
    return this.rowOf(kind, ref);
  }

  jumpToChain(chain: number): void {
    const at = this.reveal(RowKind.Chain, chain);
    if (at < 0) return;
    this.active = at;
    this.list.scrollToIndex(at, true);
    this.list.refresh();
    this.updateActiveDescendant();
    this.list.scroller.focus();
  }

  jumpToRule(rule: number): void {
    const at = this.reveal(RowKind.Rule, rule);
    if (at < 0) return;
    this.active = at;
    this.flashRule = rule;
    this.list.scrollToIndex(at, true);
    this.list.refresh();
    this.updateActiveDescendant();
  }

  // ---- trace -------------------------------------------------------------------------------------------------
  private showTrace(trace: ViewTrace): void {
    this.trace = trace;
    this.lastTraceRequest = trace.request;
    this.persist();
    this.traceHits = new Set(trace.steps.map((s) => (s.ruleId ? this.rules?.byId(s.ruleId) : undefined)).filter((x): x is number => x !== undefined));
    const verdictRule = this.tracePanel.show(trace);
    this.traceVerdictRule = verdictRule ?? -1;
    this.list.refresh();
    if (verdictRule !== undefined) this.jumpToRule(verdictRule);
  }
}
