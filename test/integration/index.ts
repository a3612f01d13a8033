// extensionTestsPath entry (the @vscode/test-electron contract): the extension host require()s this module and awaits
// run(). Rejecting makes the workbench report exit code 1; resolving, 0. Runs the same in code-server and desktop.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.DND_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // the plain closing line scripts/test.js and CI log readers look for
      console.log(`${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? 0} failed, ${runner.stats?.pending ?? 0} skipped`);
      if (failures) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}
