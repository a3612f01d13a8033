// A stack of items whose containers are not made yet: each container takes its own as one array of exactly their
// number when it ends. Pushing onto `[]` reserves 17 slots at the first push, and a parsed tree or model keeps its
// arrays for as long as the analysis lives (a service map of two keys, a `ports` list of three entries).

/** Pending items, innermost container last. */
export class PendingItems {
  private readonly items: unknown[] = [];
  private top = 0;

  /** Where the items of a container starting now begin. */
  mark(): number {
    return this.top;
  }

  push(item: unknown): void {
    this.items[this.top++] = item;
  }

  /** The items pushed since `mark`, removed from the pending ones. */
  take<T>(mark: number): T[] {
    const out = this.items.slice(mark, this.top) as T[];
    this.top = mark;
    return out;
  }
}
