// A virtual list of fixed-height rows: a spacer as tall as all rows, and a small pool of row elements moved to the
// visible window on scroll. The DOM holds about one screen of rows whatever the count (100,000 rules included).

export interface VirtualListOptions {
  rowHeight: number;
  /** Fills `el` (already emptied) with row `index`. */
  renderRow: (el: HTMLElement, index: number) => void;
  /** Rows drawn above and below the visible window, so fast scrolling shows no gaps. */
  overscan?: number;
}

export class VirtualList {
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private count = 0;
  private first = -1;
  private last = -1;
  private frame = 0;

  constructor(readonly scroller: HTMLElement, private readonly o: VirtualListOptions) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    scroller.appendChild(this.spacer);
    scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(scroller);
  }

  get length(): number {
    return this.count;
  }

  /** Sets the row count and redraws every visible row (the rows' content changed). */
  setCount(count: number): void {
    this.count = count;
    this.spacer.style.height = `${count * this.o.rowHeight}px`;
    this.first = this.last = -1;
    this.render();
  }

  /** Redraws the visible rows (highlights changed). */
  refresh(): void {
    this.first = this.last = -1;
    this.render();
  }

  /** Scrolls so that row `index` is visible; `center` puts it in the middle. */
  scrollToIndex(index: number, center = false): void {
    const h = this.o.rowHeight;
    const top = index * h;
    const view = this.scroller.clientHeight;
    if (center) this.scroller.scrollTop = Math.max(0, top - (view - h) / 2);
    else if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + h > this.scroller.scrollTop + view) this.scroller.scrollTop = top + h - view;
    this.render();
  }

  /** The element showing row `index`, when it is drawn. */
  elementFor(index: number): HTMLElement | undefined {
    return this.pool.find((el) => Number(el.dataset.row) === index && el.style.display !== 'none');
  }

  /** How many rows fit in the scroller. */
  pageSize(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / this.o.rowHeight));
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** Draws the visible window; returns how many rows are drawn. */
  render(): number {
    const h = this.o.rowHeight;
    const overscan = this.o.overscan ?? 8;
    const view = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / h) - overscan);
    const last = Math.min(this.count - 1, Math.ceil((this.scroller.scrollTop + view) / h) + overscan);
    if (first === this.first && last === this.last) return last - first + 1;
    this.first = first;
    this.last = last;
    const needed = Math.max(0, last - first + 1);
    while (this.pool.length < needed) {
      const el = document.createElement('div');
      el.className = 'row';
      this.scroller.appendChild(el);
      this.pool.push(el);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const el = this.pool[i]!;
      const index = first + i;
      if (i >= needed) { el.style.display = 'none'; el.dataset.row = ''; continue; }
      el.style.display = '';
      el.style.transform = `translateY(${index * h}px)`;
      el.dataset.row = String(index);
      el.replaceChildren();
      el.className = 'row';
      this.o.renderRow(el, index);
    }
    return needed;
  }
}
