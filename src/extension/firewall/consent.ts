// Consent to run the privileged firewall helper, per engine (keyed by the endpoint's address) and per helper image:
// asked once in a modal that says exactly what will run, remembered in globalState, revocable.
import * as vscode from 'vscode';
import { helperDescription } from '../../adapters/firewallHelper';

const stateKey = 'dockerNetworkDoctor.firewall.consent';

interface Grant {
  image: string;
  /** ISO time of the answer. */
  at: string;
}

export class HelperConsent {
  constructor(private readonly memento: vscode.Memento) {}

  private grants(): Record<string, Grant> {
    const v = this.memento.get<unknown>(stateKey);
    return typeof v === 'object' && v !== null ? (v as Record<string, Grant>) : {};
  }

  /** Granted for this engine and this image (a changed image asks again: the dialog named the old one). */
  isGranted(engineHost: string, image: string): boolean {
    return this.grants()[engineHost]?.image === image;
  }

  grant(engineHost: string, image: string): Thenable<void> {
    return this.memento.update(stateKey, { ...this.grants(), [engineHost]: { image, at: new Date().toISOString() } });
  }

  /** Engines with a remembered answer. */
  engines(): string[] {
    return Object.keys(this.grants());
  }

  revoke(engineHost?: string): Thenable<void> {
    if (engineHost === undefined) return this.memento.update(stateKey, undefined);
    const { [engineHost]: _dropped, ...rest } = this.grants();
    void _dropped;
    return this.memento.update(stateKey, Object.keys(rest).length ? rest : undefined);
  }

  /** Asks (modal) unless already granted; true when the helper may run. */
  async ensure(engineHost: string, image: string): Promise<boolean> {
    if (this.isGranted(engineHost, image)) return true;
    const allow = 'Allow on This Engine';
    const answer = await vscode.window.showWarningMessage(
      `Read the firewall rules of the Docker engine at ${engineHost}?`,
      { modal: true, detail: `${helperDescription(image)}\n\nThe answer is remembered for this engine; revoke it with "Docker Network Doctor: Revoke Firewall Helper Consent". Turn the feature off with the setting dockerNetworkDoctor.firewall.enabled.` },
      allow,
    );
    if (answer !== allow) return false;
    await this.grant(engineHost, image);
    return true;
  }
}
