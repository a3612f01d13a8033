// Consent to run the privileged firewall helper, bound to exactly what runs: the engine's ID, the image's ID and the
// command's digest (src/core/firewall/helperGrant.ts). Asked in a modal that names all three, remembered in
// globalState, revocable per engine.
import * as vscode from 'vscode';
import { helperCommandInWords } from '../../adapters/firewallHelper';
import { consentDetail, isGranted, readGrants, withGrant, type HelperGrant, type HelperSubject } from '../../core/firewall/helperGrant';
import type { ConsentPrompt } from '../prompts';

const stateKey = 'dockerNetworkDoctor.firewall.consent';

export class HelperConsent {
  /** `prompt`: the modal (src/extension/prompts.ts); it also asks before the reach checklist's live test. */
  constructor(private readonly memento: vscode.Memento, readonly prompt: ConsentPrompt) {}

  isGranted(subject: HelperSubject): boolean {
    return isGranted(readGrants(this.memento.get<unknown>(stateKey)), subject);
  }

  grant(subject: HelperSubject): Thenable<void> {
    return this.memento.update(stateKey, withGrant(readGrants(this.memento.get<unknown>(stateKey)), subject, new Date()));
  }

  /** Engines with a remembered answer. */
  grants(): HelperGrant[] {
    return Object.values(readGrants(this.memento.get<unknown>(stateKey)));
  }

  /** Revokes one engine's answer (by engine ID), or all. */
  revoke(engineId?: string): Thenable<void> {
    if (engineId === undefined) return this.memento.update(stateKey, undefined);
    const { [engineId]: _dropped, ...rest } = readGrants(this.memento.get<unknown>(stateKey));
    void _dropped;
    return this.memento.update(stateKey, Object.keys(rest).length ? rest : undefined);
  }

  /** Asks (modal) unless this engine, image and command are already granted; true when the helper may run. */
  async ensure(subject: HelperSubject): Promise<boolean> {
    if (this.isGranted(subject)) return true;
    const previous = readGrants(this.memento.get<unknown>(stateKey))[subject.engineId];
    const detail = `${consentDetail(subject, helperCommandInWords(), previous)}\n\nRevoke it with "Docker Network Doctor: Revoke `
      + 'Firewall Helper Consent". Turn the feature off with the setting dockerNetworkDoctor.firewall.enabled.';
    if (!(await this.prompt(`Read the firewall rules of the Docker engine at ${subject.engineHost} with a privileged helper container?`, detail))) return false;
    await this.grant(subject);
    return true;
  }
}
