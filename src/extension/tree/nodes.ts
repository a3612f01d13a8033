// The nodes of both views, one union: Networks shows networks → containers → published and exposed ports,
// Published ports shows the published ranges; a published range is the same `binding` node in both. Also the words
// of a node's contextValue, which package.json's menus match (`viewItem =~ /…/`); test/unit/extension/tree/nodes.test.ts
// checks that the menus use exactly these words. No `vscode` import: the unit test reads this file.
import type { ContainerModel, EndpointModel, ExposedPorts, NetworkModel, PortBinding } from '../../core/engine/model';
import type { PublishedPortsSummary } from '../../core/engine/publishedPorts';

/** A container's published port range: its child in Networks, a row of Published ports. */
export interface BindingNode {
  kind: 'binding';
  container: ContainerModel;
  binding: PortBinding;
  /** Networks: the container row it sits under (a container shows once per network). */
  parentKey?: string;
  /** Published ports: the rows it overlaps (indexes into summary.ranges) and the view's totals. */
  published?: { overlaps: readonly number[]; summary: PublishedPortsSummary };
}

export type TreeNode =
  | { kind: 'network'; network: NetworkModel }
  /** `network` undefined: a child of the "Containers on no network" group. */
  | { kind: 'container'; container: ContainerModel; endpoint?: EndpointModel; network?: NetworkModel }
  | BindingNode
  | { kind: 'exposed'; container: ContainerModel; exposed: ExposedPorts; parentKey: string }
  | { kind: 'detached'; containers: ContainerModel[] };

/** The container a node is about, if any. */
export function containerOf(node: TreeNode | undefined): ContainerModel | undefined {
  return node?.kind === 'container' || node?.kind === 'binding' || node?.kind === 'exposed' ? node.container : undefined;
}

/** The published port range of a node, with its container. */
export function bindingOf(node: TreeNode | undefined): { container: ContainerModel; binding: PortBinding } | undefined {
  return node?.kind === 'binding' ? { container: node.container, binding: node.binding } : undefined;
}

/**
 * The words of a tree item's contextValue: the node's kind first, then what applies to it, space-separated, in this
 * order (a menu may match `portRange tcp`).
 */
export const contextWords = {
  network: 'network',
  container: 'container',
  portRange: 'portRange',
  exposedPorts: 'exposedPorts',
  /** A network with a subnet to copy. */
  hasSubnet: 'hasSubnet',
  /** A network a container can be connected to (isConnectable). */
  connectable: 'connectable',
  /** A container with an address to copy. */
  hasIp: 'hasIp',
  /** A container on a network it can be disconnected from. */
  disconnectable: 'disconnectable',
  /** A TCP range: it can be opened in a browser. */
  tcp: 'tcp',
  /** Published past the host firewall by the rules last read: it has fixes. */
  firewallBypass: 'firewallBypass',
} as const;

export type ContextWord = (typeof contextWords)[keyof typeof contextWords];

/** The contextValue of the words that apply (false, '' and undefined are left out). */
export function contextValue(...words: Array<ContextWord | false | undefined>): string {
  return words.filter(Boolean).join(' ');
}
