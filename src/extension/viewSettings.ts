// View settings read where the views need them (one settings prefix, `dockerNetworkDoctor.`).
import * as vscode from 'vscode';
import type { CostSettings } from '../core/engine/describePorts';
import type { EngineState } from './engineSession';

/**
 * Whether the userland proxy is on, for the cost figures: what the connected engine reports (`/info` on Engine 29+)
 * wins; otherwise `dockerNetworkDoctor.engine.userlandProxy` (default true: the engine default, which the figures
 * then say they assume).
 */
export function costSettings(state?: EngineState): CostSettings {
  if (state?.kind === 'connected' && state.userlandProxy !== undefined) return { userlandProxy: state.userlandProxy, userlandProxyReported: true };
  const on = vscode.workspace.getConfiguration('dockerNetworkDoctor').get<boolean>('engine.userlandProxy', true);
  return on ? {} : { userlandProxy: false };
}
