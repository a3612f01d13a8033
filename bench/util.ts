// Timing helpers for the benchmarks: medians over repeated runs, after a warm-up.
import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of `fn` in milliseconds over `runs` runs, after `warmup` unmeasured ones. */
export function timeMs(fn: () => unknown, options: { runs?: number; warmup?: number } = {}): number {
  return timeStats(fn, options).medianMs;
}

/**
 * Median and mean wall time of `fn` over `runs` runs, after `warmup` unmeasured ones. The mean also spreads the
 * garbage collections that a run's allocations cause over the runs; the median leaves them out when they hit fewer
 * than half of the runs.
 */
export function timeStats(fn: () => unknown, { runs = 15, warmup = 3 } = {}): { medianMs: number; meanMs: number } {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { medianMs: round(median(samples)), meanMs: round(samples.reduce((a, b) => a + b, 0) / runs) };
}

export async function timeMsAsync(fn: () => Promise<unknown>, { runs = 7, warmup = 1 } = {}): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return round(median(samples));
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export interface BenchContext {
  root: string;
  log: (...args: unknown[]) => void;
  versions: Record<string, string>;
}
