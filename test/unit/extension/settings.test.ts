// The settings' names and defaults are written once in src/extension/settingDefaults.ts; package.json declares them
// again for VS Code's settings editor. The two must say the same.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { settingDefaults, settingsPrefix } from '../../../src/extension/settingDefaults';
import { repoRoot } from '../../paths';

interface Declared { default?: unknown }

function declaredSettings(): Record<string, Declared> {
  const manifest = JSON.parse(fs.readFileSync(`${repoRoot}/package.json`, 'utf8'));
  const configuration = manifest.contributes.configuration;
  const sections: Array<{ properties: Record<string, Declared> }> = Array.isArray(configuration) ? configuration : [configuration];
  return Object.assign({}, ...sections.map((c) => c.properties));
}

describe('settings (src/extension/settingDefaults.ts against package.json)', () => {
  it('declares exactly the settings the extension reads', () => {
    const declared = Object.keys(declaredSettings()).sort();
    const read = Object.keys(settingDefaults).map((name) => `${settingsPrefix}.${name}`).sort();
    assert.deepEqual(read, declared);
  });

  it('gives each setting the default package.json declares', () => {
    const declared = declaredSettings();
    for (const [name, value] of Object.entries(settingDefaults)) {
      assert.deepEqual(value, declared[`${settingsPrefix}.${name}`]?.default, `${settingsPrefix}.${name}`);
    }
  });
});
