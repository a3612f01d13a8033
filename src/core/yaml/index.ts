// The YAML layer's one entry point for compose code: a file parsed once (a fast scanner for the block-style subset
// compose files use, eemeli `yaml` for everything else), read with source offsets, merges and aliases followed.
export { contentEnd, isMap, isScalar, isSeq, withYamlParser, YamlFile } from './yamlFile';
export type { EntryVisitor, ScalarText, SourceRange } from './yamlFile';
export { PendingItems } from './pendingItems';
