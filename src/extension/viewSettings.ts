// View settings read where the views need them (one settings prefix, `dockerNetworkDoctor.`).
import * as vscode from 'vscode';
import type { CostSettings } from '../core/engine/describePorts';

/**
 * The engine API does not report whether the userland proxy is on; `dockerNetworkDoctor.engine.userlandProxy`
 * says so (default true: the engine default, reported as an assumption by the cost model).
 */
export function costSettings(): CostSettings {
  const on = vscode.workspace.getConfiguration('dockerNetworkDoctor').get<boolean>('engine.userlandProxy', true);
  return on ? {} : { userlandProxy: false };
}
