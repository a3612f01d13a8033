// The reachability matrix: a row per source container, a column per target, each cell the verdict of a trace from
// the one to the other. Rows are virtualized (VirtualList: one screen of rows in the DOM, 200 containers or 5);
// a click on a cell (or Enter on the one the arrow keys selected) asks the extension for that cell's trace and shows
// it below.
import { h } from '../dom';
import { VirtualList } from '../virtualList';
import { parseToMatrixView, type FromMatrixView, type MatrixCellTrace, type MatrixViewData } from './protocol';

export interface MatrixHostApi {
  postMessage(message: FromMatrixView): void;
}

const ROW_HEIGHT = 22;
const word: Record<string, string> = { r: 'reachable', b: 'blocked', f: 'refused (nothing listens)', u: 'unknown', '-': 'itself' };

export class MatrixApp {
  private data: MatrixViewData | undefined;
  private readonly status = h('div', { class: 'status', role: 'status' });
  private readonly summary = h('div', { class: 'summary' });
  private readonly header = h('div', { class: 'grid-header' });
  private readonly scroller = h('div', { class: 'grid', tabindex: 0, role: 'grid', 'aria-label': 'reachability matrix' });
  private readonly detail = h('div', { class: 'detail' });
  private readonly list: VirtualList;
  private readonly port = h('input', { type: 'number', min: 1, max: 65535, value: 80, 'aria-label': 'target port' }) as HTMLInputElement;
  private readonly protocol = h('select', { 'aria-label': 'protocol' }, h('option', { value: 'tcp', text: 'tcp' }),
    h('option', { value: 'udp', text: 'udp' })) as HTMLSelectElement;
  private selected: { from: number; to: number } | undefined;

  constructor(root: HTMLElement, private readonly host: MatrixHostApi) {
    const trace = h('button', { type: 'button', text: 'Trace' });
    trace.addEventListener('click', () => this.retrace());
    this.port.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.retrace(); });
    root.append(h('div', { class: 'toolbar' }, h('label', { text: 'port ' }), this.port, this.protocol, trace), this.status, this.summary, this.header,
      this.scroller, this.detail);
    this.list = new VirtualList(this.scroller, { rowHeight: ROW_HEIGHT, renderRow: (el, i) => this.renderRow(el, i) });
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    this.scroller.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
      if (cell?.dataset.from && cell.dataset.to) this.open(Number(cell.dataset.from), Number(cell.dataset.to));
    });
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
  }

  private retrace(): void {
    const port = Number(this.port.value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) { this.status.textContent = 'the port is a number from 1 to 65535'; return; }
    this.status.textContent = `tracing every pair to ${port}/${this.protocol.value}…`;
    this.host.postMessage({ type: 'retrace', port, protocol: this.protocol.value === 'udp' ? 'udp' : 'tcp' });
  }

  /** Arrow keys move the selected cell (skipping a container's own), Enter or Space opens its trace. */
  private key(e: KeyboardEvent): void {
    const n = this.data?.containers.length ?? 0;
    if (n < 2) return;
    const at = this.selected ?? { from: 0, to: 1 };
    const move: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.open(at.from, at.to);
      return;
    }
    const step = move[e.key];
    if (!step) return;
    e.preventDefault();
    let from = Math.min(n - 1, Math.max(0, at.from + step[0]));
    let to = Math.min(n - 1, Math.max(0, at.to + step[1]));
    if (from === to) { from = Math.min(n - 1, Math.max(0, from + step[0])); to = Math.min(n - 1, Math.max(0, to + step[1])); }
    if (from === to) return;
    this.selected = { from, to };
    this.list.scrollToIndex(from);
    this.list.refresh();
  }

  private open(from: number, to: number): void {
    if (from === to) return;
    this.selected = { from, to };
    this.list.refresh();
    this.detail.replaceChildren(h('div', { class: 'muted', text: 'tracing…' }));
    this.host.postMessage({ type: 'openCell', from, to });
  }

  private receive(raw: unknown): void {
    const msg = parseToMatrixView(raw);
    if (!msg) return;
    if (msg.type === 'status') {
      this.status.replaceChildren(msg.text, ...(msg.fix ? [h('div', { class: 'fix', text: msg.fix })] : []));
    } else if (msg.type === 'data') {
      this.data = msg.data;
      this.selected = undefined;
      this.status.textContent = '';
      this.port.value = String(msg.data.port);
      this.protocol.value = msg.data.protocol;
      this.renderSummary(msg.data);
      this.detail.replaceChildren(h('div', { class: 'muted', text: 'Click a cell to see its trace.' }));
      this.list.setCount(msg.data.containers.length);
    } else {
      this.renderCell(msg.cell);
    }
  }

  private renderSummary(d: MatrixViewData): void {
    const n = d.containers.length;
    const counts = { r: 0, b: 0, f: 0, u: 0 } as Record<string, number>;
    for (const c of d.reach) if (c !== '-') counts[c] = (counts[c] ?? 0) + 1;
    this.summary.replaceChildren(
      `${n} containers, ${n * (n - 1)} pairs to ${d.port}/${d.protocol}: ${counts.r} reachable, ${counts.b} blocked, ${counts.f} refused, ${counts.u} unknown`,
      d.omitted ? ` (${d.omitted} more containers left out)` : '', h('div', { class: 'muted', text: d.source }));
    // column heads: numbers, with the name in the tooltip (names are long; the rows carry them in full)
    this.header.replaceChildren(h('span', { class: 'label', text: 'from ↓  to →' }),
      ...d.containers.map((name, i) => h('span', { class: 'col', title: name, text: String(i + 1) })));
  }

  private renderRow(el: HTMLElement, i: number): void {
    const d = this.data;
    if (!d) return;
    const n = d.containers.length;
    el.append(h('span', { class: 'label', title: d.containers[i]!, text: `${i + 1} ${d.containers[i]!}` }));
    for (let j = 0; j < n; j++) {
      const code = d.reach[i * n + j]!;
      const selected = this.selected?.from === i && this.selected.to === j;
      el.append(h('span', {
        class: `cell reach-${code}${selected ? ' selected' : ''}`, role: 'gridcell', 'data-from': i, 'data-to': j,
        title: i === j ? d.containers[i]! : `${d.containers[i]} → ${d.containers[j]}: ${word[code]}`,
      }));
    }
  }

  private renderCell(c: MatrixCellTrace): void {
    const d = this.data;
    if (!d || this.selected?.from !== c.from || this.selected.to !== c.to) return;
    this.detail.replaceChildren(
      h('h3', { text: `${d.containers[c.from]} → ${d.containers[c.to]}: ${c.reach}` }),
      h('div', { text: `${c.path}${c.via ? ` on ${c.via}` : ' (no shared network)'}` }),
      h('div', { class: `verdict reach-${c.reach}`, text: c.verdict.text }),
      h('ol', { class: 'steps' }, ...c.steps.map((s) => h('li', {}, h('span', { class: 'where', text: s.where }), ` ${s.text}`))),
      ...(c.assumptions.length
        ? [h('details', {}, h('summary', { text: `${c.assumptions.length} assumptions` }), h('ul', {}, ...c.assumptions.map((a) => h('li', { text: a }))))]
        : []),
    );
  }
}
