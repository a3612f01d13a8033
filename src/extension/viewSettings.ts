// What the cost figures assume: the connected engine's facts, else the settings (src/extension/settings.ts).
import { chooseCalibration, type CalibrationChoice } from '../core/cost/calibration';
import type { CostSettings } from '../core/engine/describePorts';
import type { EngineState } from './engineSession';
import { calibrationSetting, userlandProxySetting } from './settings';

/**
 * Whose measurements the cost figures use: the connected engine's version (its own calibration row, or the nearest
 * and said so); with no engine, `dockerNetworkDoctor.engine.calibration` when set, else the newest row.
 */
export function calibrationFor(state?: EngineState): CalibrationChoice {
  if (state?.kind === 'connected' && state.version.version) return chooseCalibration({ engineVersion: state.version.version });
  const chosen = calibrationSetting();
  try {
    return chooseCalibration(chosen ? { chosenVersion: chosen } : {});
  } catch {
    return chooseCalibration(); // a version the table no longer has: the newest (the setting's enum lists the rest)
  }
}

/**
 * Whether the userland proxy is on, for the cost figures: what the connected engine reports (`/info` on Engine 29+)
 * wins; otherwise `dockerNetworkDoctor.engine.userlandProxy` (default true: the engine default, which the figures
 * then say they assume).
 */
export function costSettings(state?: EngineState): CostSettings {
  const calibration = calibrationFor(state);
  if (state?.kind === 'connected' && state.userlandProxy !== undefined) return { userlandProxy: state.userlandProxy, userlandProxyReported: true, calibration };
  return userlandProxySetting() ? { calibration } : { userlandProxy: false, calibration };
}
