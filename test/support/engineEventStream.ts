// The engine's /events of one network, parsed as the product parses them (parseEngineEvent), for tests that watch
// the engine announce connects and disconnects. The caller destroys the stream when done.
import type Docker from 'dockerode';
import { parseEngineEvent, type EngineEvent } from '../../src/core/engine/engineEvents';

export type EventStream = NodeJS.ReadableStream & { destroy(): void };

/** Calls `onEvent` for each event of `network` as it arrives (lines split across chunks are joined first). */
export async function watchNetworkEvents(docker: Docker, network: string, onEvent: (event: EngineEvent) => void): Promise<EventStream> {
  const stream = await docker.getEvents({ filters: { type: ['network'], network: [network] } }) as EventStream;
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      const event = parseEngineEvent(JSON.parse(line));
      if (event) onEvent(event);
    }
  });
  return stream;
}
