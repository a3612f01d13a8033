// The cost model against a real engine: the memory and start-up the product predicts for 100 and 500
// published ports, next to what the engine of DND_ENGINE (default sid; a private one in its own network namespace,
// root only) does now, measured the way scripts/probes/calibrate-cost.js measures its rows (`--check`).
// Targets, as ratios measured / model in the same run: memory within ±25%, start-up within ±50%. Never a timed test:
// start-up moves by up to 2× with the machine's load (docs/calibration.md), so the load is reported beside it.
//   npm run bench -- costModel          (about 2-3 minutes: one engine, 100 and 500 ports, twice)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { chooseCalibration, calibrationNote } from '../src/core/cost/calibration';
import { costOfPortCounts } from '../src/core/cost/dockerProxyCost';
import { round, type BenchContext } from './util';

interface Check {
  engine: string;
  suite: string;
  memory: Array<{ ports: number; processes: number; memoryMbPerProcess: number; loadavg1: number }>;
  startup: Array<{ ports: number; seconds: number; loadavg1: number }>;
}

const memoryTolerance = 0.25;
const startupTolerance = 0.5;

export async function run(ctx: BenchContext): Promise<Record<string, number | string | boolean | object>> {
  const suite = process.env.DND_ENGINE || 'sid';
  const env = { ...process.env };
  delete env.DOCKER_HOST; // the probe starts a private engine of the named build; a given engine's build is unknown
  const r = spawnSync(process.execPath, [path.join(ctx.root, 'scripts/probes/calibrate-cost.js'), '--engines', suite, '--check'],
    { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`calibrate-cost --check exited with ${r.status ?? r.signal} (root is needed to start an engine)`);
  // the rig's own log lines ([dnd] …) share stdout; the result is the one JSON line
  const line = r.stdout.split('\n').find((l) => l.startsWith('[{'));
  if (!line) throw new Error(`calibrate-cost --check printed no result:\n${r.stdout.slice(-1000)}`);
  const [check] = JSON.parse(line) as Check[];
  if (!check) throw new Error('calibrate-cost --check printed no result');
  const calibration = chooseCalibration({ engineVersion: check.engine });
  const figures: Record<string, number | string | boolean | object> = { engine: check.engine, suite, figuresFor: calibrationNote(calibration) };
  let within = true;
  for (const m of check.memory) {
    // one port on 0.0.0.0 and :: is two processes: the model's memory for those processes, per process
    const model = costOfPortCounts(m.ports, m.ports * 2, { calibration, userlandProxy: true });
    const modelPerProcess = model.memoryMb === undefined ? NaN : model.memoryMb / model.proxyProcesses;
    const ratio = round(m.memoryMbPerProcess / modelPerProcess);
    within &&= Math.abs(ratio - 1) <= memoryTolerance;
    figures[`memoryPerProxy${m.ports}Ports`] = { measuredMb: m.memoryMbPerProcess, modelMb: round(modelPerProcess), ratio, loadavg1: m.loadavg1 };
  }
  for (const s of check.startup) {
    const model = costOfPortCounts(s.ports, s.ports * 2, { calibration, userlandProxy: true }).startupSeconds ?? NaN;
    const ratio = round(s.seconds / model);
    within &&= Math.abs(ratio - 1) <= startupTolerance;
    figures[`startup${s.ports}Ports`] = { measuredS: round(s.seconds), modelS: round(model), ratio, loadavg1: s.loadavg1 };
  }
  figures.targets = `memory ratio within 1±${memoryTolerance}, start-up ratio within 1±${startupTolerance}`;
  figures.withinTargets = within;
  return figures;
}
