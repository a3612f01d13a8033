// The host's rules last read from the engine (the firewall view's helper fetch), and each published binding's
// exposure traced through them on first ask (not before: the trees stay as fast without them). Cleared when another
// engine is connected; the views say when the rules were read, since containers may have changed since.
import * as vscode from 'vscode';
import { exposedBindingsOf, exposureOf, hostFirewallOf, type BindingExposure, type EngineFacts, type FirewallRuleset } from '../../core/firewall';
import type { ContainerModel, PortBinding } from '../../core/engine/model';

interface Read {
  ruleset: FirewallRuleset;
  facts: EngineFacts;
  /** The engine the rules came from (its address), so another engine's bindings are never judged by them. */
  engine: string;
  readAt: Date;
  memo: Map<string, BindingExposure[]>;
}

export class ExposureStore implements vscode.Disposable {
  private read: Read | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** Rules fetched from `engine` with the engine's facts of that moment. */
  set(ruleset: FirewallRuleset, facts: EngineFacts, engine: string): void {
    this.read = { ruleset, facts, engine, readAt: new Date(), memo: new Map() };
    this.changed.fire();
  }

  clear(): void {
    if (!this.read) return;
    this.read = undefined;
    this.changed.fire();
  }

  /** When the rules were read from `engine`, or undefined when none were (or from another engine). */
  readAt(engine: string): Date | undefined {
    return this.read?.engine === engine ? this.read.readAt : undefined;
  }

  /** The rules last read from `engine`, if any. */
  rulesOf(engine: string): FirewallRuleset | undefined {
    return this.read?.engine === engine ? this.read.ruleset : undefined;
  }

  /** `ufw` or `firewalld` when the rules last read from `engine` show one (a firewall Docker's rules bypass). */
  bypassedFirewall(engine: string): string | undefined {
    if (this.read?.engine !== engine) return undefined;
    const firewall = hostFirewallOf(this.read.ruleset);
    return firewall.kind === 'ufw' || firewall.kind === 'firewalld' ? firewall.name : undefined;
  }

  /** The binding's exposure, one per host IP; undefined until rules were read from `engine`. */
  exposureOf(engine: string, container: ContainerModel, binding: PortBinding): BindingExposure[] | undefined {
    const read = this.read;
    if (!read || read.engine !== engine) return undefined;
    const key = `${container.id}|${binding.protocol}|${binding.hostStart}-${binding.hostEnd}|${binding.hostIps.join(',')}`;
    let out = read.memo.get(key);
    if (!out) {
      out = exposedBindingsOf(container, binding).map((b) => exposureOf(read.ruleset, b, { facts: read.facts }));
      read.memo.set(key, out);
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
