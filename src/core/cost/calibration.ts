// Which engine's measurements the cost figures use. Engines differ in what a published port costs (Engine 28 adds 2
// iptables rules per port where 20.10 and 26.1 add 3; its docker-proxy is bigger and starts slower), so every figure
// comes from the calibration row of the connected engine's version, and says which engine that is.
// The rows are measured by scripts/probes/calibrate-cost.js on real engines and stored in calibrations.json; the
// method and the figures are in docs/calibration.md.
import table from './calibrations.json';

/** Rules one published port adds, per table, as counted in `iptables-save` (rule lines only). */
export interface RulesPerTable {
  nat: number;
  filter: number;
  raw: number;
  mangle: number;
  total: number;
}

/** Start-up time of a container publishing N ports: `secondsAt1000 * (N / 1000) ^ exponent`, fitted to `points`. */
export interface StartupCurve {
  /** [published ports, seconds] as measured. */
  points: Array<[number, number]>;
  secondsAt1000: number;
  exponent: number;
}

/** One engine, as measured (null: not measured on that engine; the figures then leave it out and say so). */
export interface EngineCalibration {
  /** The engine version measured, e.g. `28.5.2`. */
  engine: string;
  /** Where that build came from (the test rig names engines by Debian suite). */
  suite: string;
  api: string;
  package: string;
  measuredOn: { date: string; machine: string; loadavg: unknown[] };
  /** The command that measured this row. */
  command: string;
  proxy: {
    processesPerPortNoHostIp: number;
    processesPerPortWithHostIp: number;
    /** Real memory per process (MemAvailable drop / processes), MB. */
    memoryMbPerProcess: number | null;
    rssMbPerProcess: number | null;
    pssMbPerProcess: number | null;
  };
  rulesPerPort: {
    userlandProxy: { iptables: RulesPerTable | null; ip6tables: RulesPerTable | null } | null;
    noUserlandProxy: { iptables: RulesPerTable | null; ip6tables: RulesPerTable | null } | null;
  };
  startup: { userlandProxy: StartupCurve | null; noUserlandProxy: StartupCurve | null };
}

/** Calibrated engines, oldest first. */
export const calibrations: readonly EngineCalibration[] = [...(table.rows as unknown as EngineCalibration[])]
  .sort((a, b) => compareEngineVersions(a.engine, b.engine));

/** How the row behind a set of figures was picked. */
export type CalibrationBasis =
  /** The engine's own major.minor was measured. */
  | 'engine'
  /** The engine's version was not measured: the newest row not newer than it (the oldest row for older engines). */
  | 'nearest'
  /** No engine: the newest row. */
  | 'no-engine'
  /** Chosen by the user (`check --engine-version`, the `engine.calibrationVersion` setting). */
  | 'chosen';

export interface CalibrationChoice {
  row: EngineCalibration;
  basis: CalibrationBasis;
  /** The connected engine's version, when there is one. */
  engineVersion?: string;
}

/** Numeric parts of `28.5.2+dfsg4`, `v20.10`, `29.0.0-rc.1` → [28, 5, 2]. */
export function engineVersionParts(version: string): number[] {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return m ? m[1]!.split('.').map(Number) : [];
}

export function compareEngineVersions(a: string, b: string): number {
  const x = engineVersionParts(a);
  const y = engineVersionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** `28.5` for `28.5.2`: how the figures name an engine (patch releases do not change them). */
export function majorMinor(version: string): string {
  return engineVersionParts(version).slice(0, 2).join('.');
}

/** The versions a user can choose, `['20.10', '26.1', '28.5']`. */
export function calibratedVersions(rows: readonly EngineCalibration[] = calibrations): string[] {
  return rows.map((r) => majorMinor(r.engine));
}

/** The row measured on `version`'s major.minor (`28.5`, `28.5.2` or `28` when one row has that major), if any. */
export function findCalibration(version: string, rows: readonly EngineCalibration[] = calibrations): EngineCalibration | undefined {
  const parts = engineVersionParts(version);
  if (!parts.length) return undefined;
  const same = rows.filter((r) => engineVersionParts(r.engine).slice(0, parts.length >= 2 ? 2 : 1).join('.') === parts.slice(0, 2).join('.'));
  return same.length ? same[same.length - 1] : undefined;
}

/**
 * The row for the figures: `chosenVersion` (must be calibrated: see findCalibration) wins; else the connected
 * engine's major.minor, else the newest row not newer than it (older than every row: the oldest); with no engine,
 * the newest row.
 */
export function chooseCalibration(opts: { engineVersion?: string; chosenVersion?: string } = {},
  rows: readonly EngineCalibration[] = calibrations): CalibrationChoice {
  if (!rows.length) throw new Error('no engine calibration rows (src/core/cost/calibrations.json is empty)');
  const engineVersion = opts.engineVersion && engineVersionParts(opts.engineVersion).length ? opts.engineVersion : undefined;
  const withEngine = engineVersion ? { engineVersion } : {};
  if (opts.chosenVersion) {
    const row = findCalibration(opts.chosenVersion, rows);
    if (!row) throw new Error(`no calibration for Engine ${opts.chosenVersion}; calibrated: ${calibratedVersions(rows).join(', ')}`);
    return { row, basis: 'chosen', ...withEngine };
  }
  if (!engineVersion) return { row: rows[rows.length - 1]!, basis: 'no-engine' };
  const own = findCalibration(majorMinor(engineVersion), rows);
  if (own) return { row: own, basis: 'engine', engineVersion };
  let nearest = rows[0]!;
  for (const r of rows) if (compareEngineVersions(r.engine, engineVersion) <= 0) nearest = r;
  return { row: nearest, basis: 'nearest', engineVersion };
}

/** Whether `version` has a row of its own (the engine tier asks this of every engine it runs on). */
export function isCalibrated(version: string, rows: readonly EngineCalibration[] = calibrations): boolean {
  return findCalibration(majorMinor(version), rows) !== undefined;
}

/**
 * Which engine the figures are for, to show next to them: `Engine 28.5 figures`, `Engine 28.5 figures (newest
 * calibration; no engine connected)`, `Engine 28.5 figures (Engine 29.1 is not calibrated)`.
 */
export function calibrationNote(choice: CalibrationChoice): string {
  const figures = `Engine ${majorMinor(choice.row.engine)} figures`;
  switch (choice.basis) {
    case 'engine': return figures;
    case 'chosen': return choice.engineVersion && majorMinor(choice.engineVersion) !== majorMinor(choice.row.engine)
      ? `${figures} (chosen; the engine is ${majorMinor(choice.engineVersion)})` : `${figures} (chosen)`;
    case 'no-engine': return `${figures} (newest calibration; no engine connected)`;
    case 'nearest': return `${figures} (Engine ${majorMinor(choice.engineVersion!)} is not calibrated; nearest)`;
  }
}
