// The only reader of the extension's settings (`dockerNetworkDoctor.*`): typed getters over one table of defaults
// (settingDefaults.ts). Everything else asks here, so a setting's name and default are written once.
import * as vscode from 'vscode';
import type { FindingCode, SeveritySetting } from '../core/compose/findings';
import type { SettingLayers } from '../core/engine/engineAccess';
import { settingDefaults, settingsPrefix, type SettingName } from './settingDefaults';

function read<K extends SettingName>(name: K, scope?: vscode.ConfigurationScope): (typeof settingDefaults)[K] {
  return vscode.workspace.getConfiguration(settingsPrefix, scope).get(name, settingDefaults[name]);
}

/** Whether a configuration change touches any of the named settings. */
export function affectsSettings(e: vscode.ConfigurationChangeEvent, ...names: SettingName[]): boolean {
  return names.some((name) => e.affectsConfiguration(`${settingsPrefix}.${name}`));
}

/** Which engine to use: an explicit host wins over a context; both empty: follow the docker CLI. */
export function engineSettings(): { host: string; context: string } {
  return { host: read('engine.host'), context: read('engine.context') };
}

/** Where the engine settings were set (user, workspace, folder): workspace trust decides on those. */
export function engineSettingLayers(): { host: SettingLayers | undefined; context: SettingLayers | undefined } {
  const config = vscode.workspace.getConfiguration(settingsPrefix);
  return { host: config.inspect<string>('engine.host'), context: config.inspect<string>('engine.context') };
}

/** Stores an engine setting in the user's settings; undefined removes it. */
export function updateEngineSetting(name: 'engine.host' | 'engine.context', value: string | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration(settingsPrefix).update(name, value, vscode.ConfigurationTarget.Global);
}

/** The userland proxy as the user says it is, for engines that do not report it. */
export function userlandProxySetting(): boolean {
  return read('engine.userlandProxy');
}

/** The engine version whose calibration row the cost figures use when no engine is connected; '' for the newest. */
export function calibrationSetting(): string {
  return read('engine.calibration');
}

export function firewallSettings(): { enabled: boolean; helperImage: string } {
  const defaultImage = settingDefaults['firewall.helperImage'];
  return { enabled: read('firewall.enabled'), helperImage: read('firewall.helperImage').trim() || defaultImage };
}

/** The compose settings for one document (they may differ per folder). */
export function composeSettings(scope: vscode.ConfigurationScope): {
  files: string[]; proxyCostThresholdPorts: number; severities: Partial<Record<FindingCode, SeveritySetting>>;
} {
  return {
    files: read('compose.files', scope), proxyCostThresholdPorts: read('compose.proxyCostThreshold', scope), severities: read('compose.severity', scope),
  };
}
