// Every compose rule, once. The finding codes, their default severities, the fix requests rules may make, running the
// rules and resolving their fixes are all derived from this list: adding a finding is a file in this folder and a
// line here (plus its README section and severity setting, which test/unit/compose/ruleRegistry.test.ts checks).
// The order is the codes' order in the README, the settings and SARIF's rule list, and the order rules run in.
import type { ComposeProject, ServiceModel } from '../model';
import { isServiceActive } from '../profiles';
import type { YamlFile } from '../../yaml';
import { defaultBridgeNoDnsRule } from './default-bridge-no-dns';
import { hostPortConflictRule } from './host-port-conflict';
import { invalidComposeFileRule } from './invalid-compose-file';
import { invalidNetworkConfigRule } from './invalid-network-config';
import { invalidPortRule } from './invalid-port';
import { portRangeLengthMismatchRule } from './port-range-length-mismatch';
import { portRangeProxyCostRule } from './port-range-proxy-cost';
import { portsIgnoredByNetworkModeRule } from './ports-ignored-by-network-mode';
import { publishedOnAllInterfacesRule } from './published-on-all-interfaces';
import { publishedPortUnreachableRule } from './published-port-unreachable';
import type { ComposeRule, FixKind, RuleFinding, RuleOptions, SeveritySetting, SuggestedFix } from './rule';
import { subnetOverlapRule } from './subnet-overlap';
import { undefinedNetworkRule } from './undefined-network';
import { unresolvedVariableRule } from './unresolved-variable';

export const composeRules = [
  portRangeProxyCostRule,
  hostPortConflictRule,
  portsIgnoredByNetworkModeRule,
  publishedPortUnreachableRule,
  portRangeLengthMismatchRule,
  invalidPortRule,
  publishedOnAllInterfacesRule,
  defaultBridgeNoDnsRule,
  unresolvedVariableRule,
  invalidComposeFileRule,
  undefinedNetworkRule,
  invalidNetworkConfigRule,
  subnetOverlapRule,
] as const;

type RegisteredRule = (typeof composeRules)[number];

export type FindingCode = RegisteredRule['code'];

type FixRequestOf<Rule> = Rule extends ComposeRule<string, infer Fix> ? Fix : never;

/** Every fix request a registered rule can make (a union on `kind`). */
export type FixRequest = FixRequestOf<RegisteredRule>;

/** A registered rule's finding. */
export type ComposeRuleFinding = RuleFinding<FindingCode, FixRequest>;

export const findingCodes: readonly FindingCode[] = composeRules.map((r) => r.code);

export const defaultSeverities: Readonly<Record<FindingCode, SeveritySetting>> =
  Object.fromEntries(composeRules.map((r) => [r.code, r.defaultSeverity])) as Record<FindingCode, SeveritySetting>;

/** One sentence per code, as the README explains it. */
export const findingSummaries: Readonly<Record<FindingCode, string>> =
  Object.fromEntries(composeRules.map((r) => [r.code, r.summary])) as Record<FindingCode, string>;

const ruleByCode = new Map<FindingCode, ComposeRule<FindingCode, FixRequest>>(composeRules.map((r) => [r.code, r]));

/** A code's severity when the user has not set one (some rules decide from what is known of the engine's host). */
export function defaultSeverityFor(code: FindingCode, options: Pick<RuleOptions, 'hostFirewall'>): SeveritySetting {
  const rule = ruleByCode.get(code)!;
  return rule.defaultSeverityFor ? rule.defaultSeverityFor(options) : rule.defaultSeverity;
}

/** Runs the rules whose code `enabled` accepts (a rule switched off costs nothing) over the services `up` starts. */
export function runRules(project: ComposeProject, options: RuleOptions, enabled: (code: FindingCode) => boolean = () => true): ComposeRuleFinding[] {
  const services: ServiceModel[] = [];
  for (const s of project.services.values()) if (isServiceActive(s, options.activeProfiles)) services.push(s);
  const input = { project, services, options };
  const out: ComposeRuleFinding[] = [];
  for (const rule of composeRules) if (rule.run && enabled(rule.code)) rule.run(input, out);
  return out;
}

const fixKinds = new Map<string, FixKind<FixRequest>>();
for (const rule of composeRules) for (const fix of rule.fixes) fixKinds.set(fix.kind, fix as FixKind<FixRequest>);

/** The edits, title and note of a fix a rule asked for; undefined when its file is not written in a way it handles. */
export function resolveFix(request: FixRequest, yamlByFile: ReadonlyMap<string, YamlFile>): SuggestedFix | undefined {
  return fixKinds.get(request.kind)!.resolve(request, yamlByFile);
}
