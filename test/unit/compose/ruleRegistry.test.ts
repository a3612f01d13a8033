// The rule registry (src/core/compose/rules/registry.ts) against what is written by hand: every registered code has
// its README section (the docs anchor diagnostics and SARIF link to), stating its default severity, and a severity
// setting in package.json; neither lists a code the registry does not have. And the registry itself: one file per
// rule, named by its code, and each code and fix kind registered once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { composeRules, defaultSeverities, findingCodes } from '../../../src/core/compose/rules/registry';
import { repoRoot } from '../../paths';

describe('the rule registry, README and package.json agree', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { properties?: Record<string, { enum: string[] }> }> } | { properties: Record<string,
      { properties?: Record<string, { enum: string[] }> }> }[] };
  };

  it('has one README section per code, under Compose findings, stating its default severity', () => {
    const section = readme.slice(readme.indexOf('## Compose findings'), readme.indexOf('\n## ', readme.indexOf('## Compose findings') + 1));
    const headings = [...section.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual([...headings].sort(), [...findingCodes].sort());
    for (const code of findingCodes) {
      const body = section.slice(section.indexOf(`### ${code}\n`));
      assert.match(body, new RegExp(`^### ${code}\\n\\n\\*\\*Default: ${defaultSeverities[code]}[.,*( ]`), code);
    }
  });

  it('has one compose.severity setting per code', () => {
    const configuration = manifest.contributes.configuration;
    const all = Array.isArray(configuration) ? configuration : [configuration];
    const severity = all.map((c) => c.properties['dockerNetworkDoctor.compose.severity']).find(Boolean);
    assert.ok(severity?.properties);
    assert.deepEqual(Object.keys(severity.properties).sort(), [...findingCodes].sort());
    for (const code of findingCodes) assert.deepEqual(severity.properties[code]!.enum, ['error', 'warning', 'info', 'hint', 'off']);
  });

  it('has one file per rule under rules/, named by its code, and each code and fix kind once', () => {
    const folder = path.join(repoRoot, 'src/core/compose/rules');
    const ruleFiles = fs.readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'rule.ts' && f !== 'registry.ts').map((f) => f.slice(0, -3));
    assert.deepEqual(ruleFiles.sort(), [...findingCodes].sort());
    assert.equal(new Set(findingCodes).size, composeRules.length);
    const kinds = composeRules.flatMap((r) => r.fixes.map((f) => f.kind));
    assert.equal(new Set(kinds).size, kinds.length);
  });
});
