// The extension's settings and their defaults, written once. package.json `contributes.configuration` declares the
// same names and defaults for VS Code's settings editor; test/unit/extension/settings.test.ts checks that they agree.
// No `vscode` import, so that the unit test can read it; src/extension/settings.ts is the one reader.
import type { FindingCode, SeveritySetting } from '../core/compose/findings';
import { defaultProxyCostThresholdPorts } from '../core/compose/rules/port-range-proxy-cost';
import { defaultHelperImage } from '../core/firewall/helperGrant';

export const settingsPrefix = 'dockerNetworkDoctor';

export const settingDefaults = {
  'engine.host': '',
  'engine.context': '',
  'engine.userlandProxy': true,
  'engine.calibration': '',
  'firewall.enabled': true,
  'firewall.helperImage': defaultHelperImage,
  'compose.files': [] as string[],
  'compose.proxyCostThreshold': defaultProxyCostThresholdPorts,
  'compose.severity': {} as Partial<Record<FindingCode, SeveritySetting>>,
};

export type SettingName = keyof typeof settingDefaults;
