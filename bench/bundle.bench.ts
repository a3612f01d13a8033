// Bundle sizes of the production build (target: extension bundle under 1.5 MB).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchContext } from './util';

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const size = (f: string) => {
    const p = path.join(ctx.root, 'dist', f);
    return fs.existsSync(p) ? fs.statSync(p).size : -1;
  };
  return {
    extensionBundleBytes: size('extension.js'),
    cliBundleBytes: size('cli.js'),
    cliCheckBundleBytes: size('cli/checkCommand.js'),
    cliFirewallBundleBytes: size('cli/firewallCommand.js'),
    cliNetworksBundleBytes: size('cli/networksCommand.js'),
    webviewBundleBytes: size('webview.js'),
  };
}
