// Shared by the integration suites: the extension's API, the test engine, and waiting on conditions.
import Docker from 'dockerode';
import * as vscode from 'vscode';
import type { DockerNetworkDoctorApi } from '../../src/extension/extension';
import { TEST_LABEL } from '../support/testObjects';
import type { TestSeam } from '../../src/extension/testing';

export { TEST_IMAGE, TEST_LABEL } from '../support/testObjects';
export const EXTENSION_ID = 'docker-network-doctor.docker-network-doctor';
export const RUN_ID = process.env.DND_TEST_RUN || 'manual';
export const testLabels = (): Record<string, string> => ({ [TEST_LABEL]: RUN_ID });

/** Activates the extension and returns its test seam (src/extension/testing.ts). */
export async function activateExtension(): Promise<TestSeam> {
  const ext = vscode.extensions.getExtension<DockerNetworkDoctorApi & { testing?: TestSeam }>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const { testing } = await ext.activate();
  if (!testing) throw new Error(`extension ${EXTENSION_ID} runs without its test seam: VS Code runs it as an installed extension`);
  return testing;
}

/** A dockerode client on the test engine (DOCKER_HOST, set by scripts/test.js). */
export function testDocker(): Docker {
  const host = process.env.DOCKER_HOST;
  if (!host?.startsWith('unix://')) throw new Error(`the integration tests need DOCKER_HOST=unix://… (got ${host ?? 'nothing'})`);
  return new Docker({ socketPath: host.slice('unix://'.length) });
}

export { waitFor } from '../support/waitFor';

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Removes what a test made, ignoring what is already gone. */
export async function removeQuietly(...items: Array<{ remove(opts?: object): Promise<unknown> } | undefined>): Promise<void> {
  for (const item of items) {
    if (item) await item.remove({ force: true }).catch(() => undefined);
  }
}

/** Runs `argv` in a running container (no shell), with its output (stdout and stderr, through a TTY). */
export async function execIn(container: Docker.Container, argv: string[]): Promise<{ exitCode: number | null; out: string }> {
  const exec = await container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const out = await new Promise<string>((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => { text += d.toString(); });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  return { exitCode: (await exec.inspect()).ExitCode, out };
}
