// The compose core's public surface, for src/extension and src/cli.
export { analyzeCompose, analyzeComposeText, failedAnalysis, portHoverAt, portsLenses } from './analyzeCompose';
export type { ComposeAnalysis, ComposeAnalysisOptions, PortHover, PortsLens } from './analyzeCompose';
export type { ComposeFileReader, ComposeSource } from './buildProject';
export { defaultSeverities, docsAnchor, findingCodes } from './findings';
export type { Finding, FindingCode, Severity, SeveritySetting, SuggestedFix, TextEdit } from './findings';
export { applyEdits, bindToLoopbackEdits, removePortEntryEdits, useHostNetworkEdits } from './fixes';
export { interpolate } from './interpolate';
export type { Env, Interpolated } from './interpolate';
export type { ComposeProject, PortEntry, ServiceModel, SourceRange } from './model';
export { parseExposeSpec, parseShortPortSpec } from './portSpec';
export type { RunningBinding } from './runningBindings';
export { runningBindingsOf } from './runningBindings';
export { engineNetworksOf } from './engineNetworks';
export type { EngineNetwork } from './engineNetworks';
export { addNetworkEdits } from './networkFixes';
export { composeProjectName, normalizeProjectName } from './projectName';
export { bindingGroupOf, serviceCost } from './publishedPorts';
export { crossProjectConflicts, maxOtherProjects, projectNameOf, sameComposeProject } from './crossProjectConflicts';
