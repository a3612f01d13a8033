// What a compose rule is: the contract each file under rules/ implements (its code, default severity, run function
// and fixes). registry.ts lists the rules and derives the codes, default severities, fix requests, runRules and
// resolveFix from them. Nothing here imports the registry or a rule, so rules and their helpers import this freely.
import type { CalibrationChoice } from '../../cost/calibration';
import type { EngineNetwork } from '../engineNetworks';
import type { ComposeProject, ServiceModel, SourceRange } from '../model';
import type { RunningBinding } from '../runningBindings';
import type { YamlFile } from '../../yaml';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Replace `length` characters at `offset` of `file` with `newText`. */
export interface TextEdit {
  file: string;
  offset: number;
  length: number;
  newText: string;
}

export interface SuggestedFix {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
  /** What the fix also changes, in words (e.g. "removes ports: and networks: of web"). */
  note?: string;
}

export interface RuleOptions {
  /** Published host ports in one service from which `port-range-proxy-cost` fires. Default 100. */
  proxyCostThresholdPorts?: number;
  /** From the engine when it says; undefined: unknown, the default (on) is assumed and said. */
  userlandProxy?: boolean;
  /** `userlandProxy` came from the engine's `/info` (the messages say so), not from a setting. */
  userlandProxyReported?: boolean;
  /** Whose measurements the cost figures use (see src/core/cost/calibration.ts); undefined: the newest. */
  calibration?: CalibrationChoice;
  runningBindings?: readonly RunningBinding[];
  /** The connected engine's version (`28.5.2`): how a host-port clash fails differs between engines (hostPortClaims.ts).
   *  Undefined: no engine, the messages give both errors. */
  engineVersion?: string;
  /** The compose project name, to recognise this project's own running containers (analyzeCompose works it out
   *  as compose does when it is not given). */
  projectName?: string;
  /** The project's folder (absolute): a running container whose compose working_dir is this folder is this project's. */
  projectDir?: string;
  /** The connected engine's networks and subnets (engineNetworksOf), for subnet-overlap; undefined: no engine. */
  engineNetworks?: readonly EngineNetwork[];
  /** Profiles enabled for `up`; undefined: every service is analysed. */
  activeProfiles?: readonly string[];
  /** The firewall the connected engine's host runs (`ufw`, `firewalld`), found in the rules the firewall view read:
   *  Docker's rules bypass it, so `published-on-all-interfaces` is on (a warning) unless the user set it. */
  hostFirewall?: string;
}

/** What every rule looks at. */
export interface RuleInput {
  project: ComposeProject;
  /** The project's services that `up` starts (profiles applied), in the project's order. */
  services: readonly ServiceModel[];
  options: RuleOptions;
}

/** A fix a rule asks for, described as data so rules stay free of text surgery; its FixKind computes the edits. */
export interface FixRequestBase<Kind extends string = string> {
  kind: Kind;
  isPreferred: boolean;
}

/** One kind of fix: the edits for a request over the files' YAML, with the title and note that say what they do.
 *  Undefined when the file is not written in a way the edits can handle. */
export interface FixKind<Request extends FixRequestBase> {
  readonly kind: Request['kind'];
  resolve(request: Request, yamlByFile: ReadonlyMap<string, YamlFile>): SuggestedFix | undefined;
}

/** What a rule reports, before severities are applied and fixes resolved. */
export interface RuleFinding<Code extends string = string, Fix extends FixRequestBase = FixRequestBase> {
  code: Code;
  message: string;
  range: SourceRange;
  service?: string;
  related?: { message: string; range: SourceRange }[];
  /** A default for this case when the user has not set the code's severity (e.g. error for `service:` mode). */
  severity?: Severity;
  fixes?: Fix[];
}

/** Where a rule puts its findings: the analysis's one list (most services have none, and an empty array per service
 *  is garbage), typed so that a rule can only push its own code and fixes. */
export interface FindingsOut<Code extends string, Fix extends FixRequestBase = never> {
  push(finding: RuleFinding<Code, Fix>): unknown;
}

type FixKindsOf<Fix> = Fix extends FixRequestBase ? FixKind<Fix> : never;

export interface ComposeRule<Code extends string, Fix extends FixRequestBase = never> {
  /** The diagnostic's code: the README heading, the severity setting's key and what quick fixes match on. */
  readonly code: Code;
  /** The severity when the user has not set one (README and package.json state it; a test checks they agree). */
  readonly defaultSeverity: SeveritySetting;
  /** One sentence, as the README explains the code (SARIF's rule help). */
  readonly summary: string;
  /** When the default depends on what the analysis knows of the engine (defaultSeverity otherwise). */
  defaultSeverityFor?(options: Pick<RuleOptions, 'hostFirewall'>): SeveritySetting;
  /** Pushes the rule's findings; absent for codes reported while the files are read (loadComposeFile.ts). Not
   *  called when the code is off. */
  run?(input: RuleInput, out: FindingsOut<Code, Fix>): void;
  /** One FixKind per kind of fix the rule's findings ask for. */
  readonly fixes: readonly FixKindsOf<Fix>[];
}
