// undefined-network: a service attached to a network the project does not define (other than `default`), or
// `network_mode: service:x` naming no service of the project. compose 2.40.3 refuses both before anything starts:
// `service "a" refers to undefined network front: invalid compose project` and
// `service "a" depends on undefined service "x": invalid compose project`.
// A file that looks like an overlay (named *.override.*, or with a service that has neither image nor build) is
// probably used after a base file that defines the network: then only a hint, naming the base file it expects.
// A complete file that names a network it does not define (jitsi's jibri.yml, used after docker-compose.yml) is an
// error: `docker compose -f jibri.yml up` is refused, and nothing in the file says it is a part.
import type { ComposeProject, ServiceModel } from '../model';
import { addNetworkEditsIn } from '../networkFixes';
import type { ComposeRule, FindingsOut, FixKind, FixRequestBase, RuleFinding } from './rule';

/** "Define network X" in the top-level `networks:` of `file`. */
interface AddNetworkRequest extends FixRequestBase<'add-network'> {
  network: string;
  file: string;
}

const addNetworkFix: FixKind<AddNetworkRequest> = {
  kind: 'add-network',
  resolve(f, yamlByFile) {
    const yaml = yamlByFile.get(f.file);
    const edits = yaml && addNetworkEditsIn(yaml, f.network);
    return edits && {
      title: `Define network ${f.network}`, isPreferred: f.isPreferred, edits,
      note: `adds ${f.network}: {} to the top-level networks: (a bridge network compose creates for the project)`,
    };
  },
};

export const undefinedNetworkRule: ComposeRule<'undefined-network', AddNetworkRequest> = {
  code: 'undefined-network',
  defaultSeverity: 'error',
  summary: 'A service names a network the project does not define, or network_mode service: names a service that does '
    + 'not exist; compose refuses the project (in a file that looks like an overlay: a hint naming the base file '
    + 'it expects).',
  run: ({ services, project }, out) => undefinedNetworks(services, project, out),
  fixes: [addNetworkFix],
};

function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(slash + 1);
}

/** The file an overlay is usually put after: `x.override.yml` → `x.yml`, `docker-compose.prod.yml` →
 *  `docker-compose.yml`, `compose.dev.yaml` → `compose.yaml`; else compose's default names. */
export function expectedBaseFile(file: string): string {
  const name = baseName(file);
  const override = /^(.+)\.override(\.ya?ml)$/i.exec(name);
  if (override) return `${override[1]}${override[2]}`;
  const variant = /^(docker-compose|compose)\.[^.]+(\.ya?ml)$/i.exec(name);
  if (variant) return `${variant[1]}${variant[2]}`;
  return 'compose.yaml or docker-compose.yml';
}

/** Why the project looks like a part of a larger one, or undefined. */
function overlayReason(project: ComposeProject): string | undefined {
  const only = project.files.length === 1 ? baseName(project.files[0]!) : undefined;
  if (only && /\.override\./i.test(only)) return `${only} is named as an override`;
  const partial = [...project.services.values()].filter((s) => !s.image && !s.build && !s.extends);
  if (partial.length) return `${partial.slice(0, 3).map((s) => s.name).join(', ')}${partial.length > 3 ? '…' : ''} ${partial.length === 1 ? 'has' : 'have'} ` +
    `neither image nor build`;
  return undefined;
}

function undefinedNetworks(services: readonly ServiceModel[], project: ComposeProject, out: FindingsOut<'undefined-network', AddNetworkRequest>): void {
  let overlay: string | undefined | null = null;
  const overlayNote = (): string => {
    if (overlay === null) overlay = overlayReason(project);
    if (!overlay) return '';
    const file = project.files[project.files.length - 1]!;
    const base = expectedBaseFile(file);
    return ` This file looks like an overlay (${overlay}): it is probably used after ${base} (\`docker compose -f ${base.split(' ')[0]} ` +
      `-f ${baseName(file)}\`), which should define it.`;
  };
  // an attachment several services get through `extends` or `<<` is written once: reported once
  const reported = new Set<string>();
  for (const svc of services) {
    for (const n of svc.networks ?? []) {
      if (n.name === 'default' || project.networks.has(n.name)) continue;
      const place = `${n.range.file}\u0000${n.range.start}`;
      if (reported.has(place)) continue;
      reported.add(place);
      const note = overlayNote();
      const finding: RuleFinding<'undefined-network', AddNetworkRequest> = {
        code: 'undefined-network', service: svc.name, range: n.range,
        message: `service "${svc.name}" refers to undefined network ${n.name}: compose refuses the project (no top-level \`networks: {${n.name}: …}\`).${note}`,
        // the top-level networks of a file read for `extends` are not the project's: the fix goes to the first file
        fixes: [{ kind: 'add-network', network: n.name, file: project.files.includes(n.range.file) ? n.range.file : project.files[0]!, isPreferred: true }],
      };
      if (note) finding.severity = 'hint';
      out.push(finding);
    }
    const mode = svc.networkMode;
    if (!mode?.value.startsWith('service:')) continue;
    const target = mode.value.slice('service:'.length);
    if (project.services.has(target)) continue;
    const note = overlayNote();
    const finding: RuleFinding<'undefined-network', AddNetworkRequest> = {
      code: 'undefined-network', service: svc.name, range: mode.range,
      message: `network_mode: ${mode.value}: service "${svc.name}" depends on undefined service "${target}": compose refuses the project.${note}`,
    };
    if (note) finding.severity = 'hint';
    out.push(finding);
  }
}
