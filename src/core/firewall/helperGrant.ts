// The consent to run the privileged firewall helper, as data: it covers exactly what runs, i.e. which engine (its
// `/info` ID: an address can be pointed at another engine), which image (its ID: a tag can be moved to another
// image) and which command (a digest of the helper's scripts and container specs). Any of the three changing asks
// again. Kept by the extension in globalState; the dialog and the revoke list are worded here.

/** The image the helper and the probes run when none is configured (a setting in the editor, --probe-image in the CLI). */
export const defaultHelperImage = 'busybox:latest';

/** What a run of the helper would be: the subject of a consent. */
export interface HelperSubject {
  /** The address it was reached at (for the dialog and the revoke list; not part of the key). */
  engineHost: string;
  /** `/info` ID. */
  engineId: string;
  /** The configured image reference (`busybox:latest`), as the user wrote it. */
  imageTag: string;
  /** `sha256:…` from image inspect of imageTag: what the helper is created from. */
  imageId: string;
  /** SHA-256 (hex) of the scripts and container specs of every method. */
  commandDigest: string;
}

export interface HelperGrant extends HelperSubject {
  /** ISO time of the answer. */
  at: string;
}

/** Grants by engine ID. */
export type HelperGrants = Record<string, HelperGrant>;

const grantFields: readonly (keyof HelperGrant)[] = ['engineHost', 'engineId', 'imageTag', 'imageId', 'commandDigest', 'at'];

/** The stored grants, keeping only well-formed ones (the store is ours, but an older version wrote another shape). */
export function readGrants(stored: unknown): HelperGrants {
  if (typeof stored !== 'object' || stored === null) return {};
  const out: HelperGrants = {};
  for (const [id, v] of Object.entries(stored)) {
    const g = v as Partial<Record<keyof HelperGrant, unknown>> | null;
    if (typeof g !== 'object' || g === null || !grantFields.every((f) => typeof g[f] === 'string' && g[f] !== '') || g.engineId !== id) continue;
    out[id] = g as HelperGrant;
  }
  return out;
}

/** Whether the grants cover this run: same engine ID, same image ID, same command. */
export function isGranted(grants: HelperGrants, subject: HelperSubject): boolean {
  const g = grants[subject.engineId];
  return g !== undefined && g.imageId === subject.imageId && g.commandDigest === subject.commandDigest;
}

export function withGrant(grants: HelperGrants, subject: HelperSubject, at: Date): HelperGrants {
  return { ...grants, [subject.engineId]: { ...subject, at: at.toISOString() } };
}

/** The engine's `/info` ID; throws when it reports none (consent could not be bound to it). */
export function engineIdFromInfo(info: unknown): string {
  const id = (info as { ID?: unknown } | null | undefined)?.ID;
  if (typeof id !== 'string' || !id.trim()) throw new Error('the engine reports no ID in /info, so consent to run the firewall helper cannot be tied to it');
  return id.trim();
}

/** The image ID from image inspect; throws when there is none. */
export function imageIdFromInspect(inspect: unknown): string {
  const id = (inspect as { Id?: unknown } | null | undefined)?.Id;
  if (typeof id !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(id)) throw new Error('the engine gave no sha256 ID for the helper image');
  return id;
}

/** `unix:///var/run/docker.sock (ID 4MAZ:67L4:…)`: how a granted engine is listed for revoking. */
export function grantLabel(g: HelperGrant): string {
  return `${g.engineHost} (ID ${g.engineId})`;
}

/** The dialog's detail: the engine, the image and the command, each as it will be bound. */
export function consentDetail(subject: HelperSubject, commandInWords: string, previous?: HelperGrant): string {
  const changed = previous === undefined ? [] : [
    previous.imageId !== subject.imageId ? `the image changed (it was ${previous.imageTag}, ${previous.imageId})` : '',
    previous.commandDigest !== subject.commandDigest ? 'the helper\'s command changed (a new version of the extension)' : '',
  ].filter(Boolean);
  return [
    ...(changed.length ? [`Asked again because ${changed.join(' and ')}.`, ''] : []),
    `Engine: ${subject.engineHost}, engine ID ${subject.engineId}`,
    `Image: ${subject.imageTag}, image ID ${subject.imageId} (the helper is created from this ID)`,
    `Command (SHA-256 ${subject.commandDigest.slice(0, 16)}…): ${commandInWords}`,
    '',
    'The answer is kept for this engine ID, this image ID and this command; any change asks again.',
  ].join('\n');
}
