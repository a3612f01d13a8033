// invalid-compose-file: what compose refuses outright. Most of it is found while the files are read (YAML errors,
// a file that is not a map, a broken `extends` or `include:`: loadComposeFile.ts, buildProject.ts); the one check on
// the built project is `network_mode` next to `networks`.
import type { ServiceModel } from '../model';
import type { ComposeRule, FindingsOut } from './rule';

export const invalidComposeFileRule: ComposeRule<'invalid-compose-file'> = {
  code: 'invalid-compose-file',
  defaultSeverity: 'error',
  summary: 'Not valid YAML, more than one document, not a map at the top level, an extends that cannot be resolved, or a file that could not be read.',
  run: ({ services }, out) => { for (const s of services) networkModeWithNetworks(s, out); },
  fixes: [],
};

/** compose 2.40.3 refuses the project: "service a declares mutually exclusive `network_mode` and `networks`". */
function networkModeWithNetworks(svc: ServiceModel, out: FindingsOut<'invalid-compose-file'>): void {
  if (!svc.networkMode || !svc.networks?.length) return;
  out.push({
    code: 'invalid-compose-file', service: svc.name, range: svc.networkMode.range,
    message: `${svc.name} declares mutually exclusive \`network_mode\` and \`networks\`: compose refuses the project (remove one of them)`,
    related: [{ message: `networks of ${svc.name}`, range: svc.networks[0]!.range }],
  });
}
