// The `yaml` node classes (Scalar, YAMLMap, YAMLSeq, Pair, Alias) as the fast YAML path builds them: real instances,
// recognised by isScalar/isMap/…, made without the cost of the classes' own constructors.
import { Alias, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';

// The `yaml` node classes set their type tag with Object.defineProperty in every constructor, which costs more than
// the whole scan here. These constructors make the same nodes (instances of Scalar, YAMLMap, YAMLSeq, Pair, Alias,
// recognised by isScalar/isMap/…) with the tag on a shared prototype instead. The tag is `yaml`'s registered
// `Symbol.for('yaml.node.type')` (its identity.ts), checked by the test.
const NODE_TYPE = Symbol.for('yaml.node.type');

function tagged(base: object, tag: string): object {
  return Object.create(base, { [NODE_TYPE]: { value: Symbol.for(tag) } });
}

type ScalarCtor = new (value: unknown, type: Scalar.Type, source: string, start: number, end: number) => Scalar;
export const FastScalar = function (this: Scalar, value: unknown, type: Scalar.Type, source: string, start: number, end: number) {
  this.value = value;
  this.type = type;
  this.source = source;
  this.range = [start, end, end];
} as unknown as ScalarCtor;
FastScalar.prototype = tagged(Scalar.prototype, 'yaml.scalar') as Scalar;

type CollectionCtor<T, I> = new (flow: boolean, items: I[]) => T;
export const FastMap = function (this: YAMLMap, flow: boolean, items: Pair<Node, Node>[]) {
  this.items = items;
  if (flow) this.flow = true;
} as unknown as CollectionCtor<YAMLMap, Pair<Node, Node>>;
FastMap.prototype = tagged(YAMLMap.prototype, 'yaml.map') as YAMLMap;
export const FastSeq = function (this: YAMLSeq, flow: boolean, items: Node[]) {
  this.items = items;
  if (flow) this.flow = true;
} as unknown as CollectionCtor<YAMLSeq, Node>;
FastSeq.prototype = tagged(YAMLSeq.prototype, 'yaml.seq') as YAMLSeq;

type PairCtor = new (key: Node, value: Node) => Pair<Node, Node>;
export const FastPair = function (this: Pair<Node, Node>, key: Node, value: Node) {
  this.key = key;
  this.value = value;
} as unknown as PairCtor;
FastPair.prototype = tagged(Pair.prototype, 'yaml.pair') as Pair<Node, Node>;

type AliasCtor = new (source: string, start: number, end: number) => Alias;
export const FastAlias = function (this: Alias, source: string, start: number, end: number) {
  this.source = source;
  this.range = [start, end, end];
} as unknown as AliasCtor;
FastAlias.prototype = tagged(Alias.prototype, 'yaml.alias') as Alias;

const PLAIN = Scalar.PLAIN;

export function nullScalar(at: number): Scalar {
  return new FastScalar(null, PLAIN, '', at, at);
}
