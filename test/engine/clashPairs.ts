// The host-port clash check shared by hostPortClash.test.ts (userland proxy on) and hostPortClashProxyOff.test.ts:
// a container publishing A is started, then one publishing B; whether B starts, and what the engine says when it does
// not, is compared with the product's verdict on the same pair: two compose services (src/core/compose/
// hostPortClaims.ts), and one compose service next to the running container as the engine lists it (what the editor
// and `check --engine` compare).
import { strict as assert } from 'node:assert';
import type { TestContext } from 'node:test';
import type Docker from 'dockerode';
import { analyzeComposeText } from '../../src/core/compose/analyzeCompose';
import type { ComposeAnalysisOptions } from '../../src/core/compose/analyzeCompose';
import { runningBindingsOf } from '../../src/core/compose/runningBindings';
import { buildEngineModel } from '../../src/core/engine/buildModel';
import { fact, Made, startContainer } from './support';

/** The pairs of hostPortClaims.ts's header, on ports of their own. */
export const clashPairs: ReadonlyArray<readonly [string, string, string]> = [
  ['8080:80', '8080:80', 'the same spec twice'],
  ['0.0.0.0:8081:80', '[::]:8081:80', '0.0.0.0 next to [::]'],
  ['8082:80', '[::]:8082:80', 'no host IP next to [::]'],
  ['0.0.0.0:8083:80', '8083:80', '0.0.0.0 next to no host IP'],
  ['127.0.0.1:8084:80', '8084:80', 'an address, then no host IP'],
  ['8085:80', '127.0.0.1:8085:80', 'no host IP, then an address'],
  ['127.0.0.1:8091:80', '0.0.0.0:8091:80', 'an address, then 0.0.0.0'],
  ['127.0.0.1:8086:80', '127.0.0.2:8086:80', 'two IPv4 addresses'],
  ['8087:80', '8087:80/udp', 'tcp next to udp'],
  ['8095:80/udp', '127.0.0.1:8095:80/udp', 'udp: no host IP, then an address'],
  ['[::1]:8088:80', '127.0.0.1:8088:80', '[::1] next to 127.0.0.1'],
  ['[::]:8089:80', '[::1]:8089:80', '[::] next to [::1]'],
  ['[::]:8090:80', '127.0.0.1:8090:80', '[::] next to 127.0.0.1'],
  ['8092-8094:80-82', '8094:80', 'a range overlapping one port'],
  ['8096-8097:80-81', '8098-8099:80-81', 'adjacent ranges'],
];

/** The two ways a refused start is worded, to compare with the product's message. */
export const refusalPhrase = /port is already allocated|address already in use/;

/** Moves a spec's ports by `offset` (each test file uses ports of its own). */
export function shifted(spec: string, offset: number): string {
  return spec.replace(/(^|:|\]:)(\d+)(?:-(\d+))?(?=:)/, (_, pre: string, a: string, b?: string) =>
    `${pre}${Number(a) + offset}${b ? `-${Number(b) + offset}` : ''}`);
}

const service = (name: string, spec: string) => `  ${name}:\n    image: dnd-test/busybox\n    ports:\n      - "${spec}"\n`;

/** The product's verdict for two compose services publishing `a` and `b`: the host-port-conflict message, if any. */
export function composeVerdict(a: string, b: string, options: ComposeAnalysisOptions, tail = ''): string | undefined {
  const findings = analyzeComposeText(`services:\n${service('a', a)}${service('b', b)}${tail}`, 'compose.yaml', options).findings;
  return findings.find((f) => f.code === 'host-port-conflict')?.message;
}

/**
 * Starts A, then B, on `docker` and compares the engine's verdict with the product's (given `options`: the engine's
 * version and userland proxy state). `engine` names the engine in messages. `on`: both containers on that network,
 * which the compose file (`on.compose`, its top-level networks) describes.
 */
export async function checkClashPair(t: TestContext, docker: Docker, made: Made, engine: string, a: string, b: string,
  options: ComposeAnalysisOptions, on?: { network: string; compose: string }): Promise<void> {
  try {
    const networkMode = on?.network;
    const first = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: [a], networkMode });
    assert.equal(first.error, undefined, `${engine}: A ${a} alone did not start: ${first.error}`);
    const second = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: [b], networkMode });
    const engineClash = second.error !== undefined;
    if (second.error) assert.match(second.error, refusalPhrase, `${engine}: B failed for another reason: ${second.error}`);
    fact(t, `A ${a} then B ${b}: ${second.error ? `B refused: ${second.error.replace(/^.*\): /, '')}` : 'both start'}`, engine);

    const betweenServices = composeVerdict(a, b, options, on?.compose);
    assert.equal(betweenServices !== undefined, engineClash,
      `${engine}: the engine ${engineClash ? 'refused' : 'started'} B, the product says ${betweenServices ?? 'no clash'}`);

    // the running container as the editor sees it: the engine's list, through the product's model
    const containers = await docker.listContainers({ all: true, filters: { id: [first.container.id] } });
    const running = runningBindingsOf(buildEngineModel(await docker.listNetworks(), containers));
    const nextToRunning = analyzeComposeText(`services:\n${service('b', b)}${on?.compose ?? ''}`, 'compose.yaml', { ...options, runningBindings: running })
      .findings.find((f) => f.code === 'host-port-conflict')?.message;
    assert.equal(nextToRunning !== undefined, engineClash,
      `${engine}: the engine ${engineClash ? 'refused' : 'started'} B, next to the running A the product says ${nextToRunning ?? 'no clash'}`);

    if (second.error) {
      // the error the product announces is the one this engine gives
      const said = refusalPhrase.exec(second.error)![0];
      assert.ok(betweenServices!.includes(`fails with "${said}"`), `${engine} says "${said}"; the product: ${betweenServices}`);
      assert.ok(nextToRunning!.includes(`fails with "${said}"`), `${engine} says "${said}"; the product: ${nextToRunning}`);
    }
  } finally {
    await made.removeContainers();
  }
}
