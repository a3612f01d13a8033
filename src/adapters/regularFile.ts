// Reads a file only if it is a regular file of at most a size cap. Compose and firewall inputs come from repositories
// and dumps written by others: a `.env` or `extends: file:` that is a symlink to /dev/zero was read until memory ran
// out, and a FIFO hung the read forever. The file is opened without blocking (opening a FIFO for reading waits for a
// writer otherwise), then checked with fstat on the open descriptor, so a symlink is judged by what it points to and
// nothing can swap the file between the check and the read.
import * as fs from 'node:fs';

/** Largest compose-side file read (compose files, `.env`, docker config), in bytes: real ones are far smaller. */
export const maxReadBytes = 10 * 1024 * 1024;

/** Largest firewall dump read: a host with 100,000 rules (which the view handles) writes about 10 MB of them. */
export const maxFirewallDumpBytes = 64 * 1024 * 1024;

export type FileRead =
  /** `text` is the file read as UTF-8; `bytes` (when read from disk) for a caller that decodes by a byte order mark. */
  | { kind: 'text'; text: string; bytes?: Uint8Array }
  | { kind: 'missing' }
  /** Exists but was not read; `reason` says why, for a finding or an error message. */
  | { kind: 'refused'; reason: string };

// O_NONBLOCK is what keeps open() on a FIFO from waiting; it does not exist on Windows, where FIFOs are not files
const openFlags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function kindOf(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refusal(stat: fs.Stats, maxBytes: number): FileRead | undefined {
  const kind = kindOf(stat);
  if (kind) return { kind: 'refused', reason: `it is ${kind}, not a regular file` };
  if (stat.size > maxBytes) return { kind: 'refused', reason: `it is ${megabytes(stat.size)}, over the ${megabytes(maxBytes)} limit` };
  return undefined;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function failed(err: unknown): FileRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'ELOOP') return { kind: 'refused', reason: 'its symlinks loop' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'refused', reason: 'permission denied' };
  return { kind: 'refused', reason: (err as Error).message };
}

/** The next read's size: the rest of the stat'ed size plus one (to see the end), at most up to one byte over the cap. */
function nextChunkBytes(statSize: number, readSoFar: number, maxBytes: number): number {
  return Math.min(maxBytes + 1 - readSoFar, Math.max(statSize + 1 - readSoFar, 4096));
}

function decoded(chunks: Buffer[], length: number, maxBytes: number): FileRead {
  if (length > maxBytes) return { kind: 'refused', reason: `it grew over the ${megabytes(maxBytes)} limit while being read` };
  const bytes = Buffer.concat(chunks, length);
  return { kind: 'text', text: bytes.toString('utf8'), bytes };
}

/**
 * The steps of one read, written once for both the synchronous and the asynchronous reader: the generator yields
 * what it needs done (open, fstat, read into a buffer, close) and is handed the result, or the error thrown into it.
 */
type Step =
  | { op: 'open' }
  | { op: 'stat' }
  | { op: 'read'; into: Buffer }
  | { op: 'close' };

function* readSteps(maxBytes: number): Generator<Step, FileRead, unknown> {
  try {
    yield { op: 'open' };
  } catch (err) {
    return failed(err);
  }
  try {
    const stat = (yield { op: 'stat' }) as fs.Stats;
    const refused = refusal(stat, maxBytes);
    if (refused) return refused;
    // read to the cap, not to the stat'ed size: the file may grow meanwhile (a log being written)
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(nextChunkBytes(stat.size, length, maxBytes));
      if (chunk.length === 0) break;
      const n = (yield { op: 'read', into: chunk }) as number;
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
    }
    return decoded(chunks, length, maxBytes);
  } catch (err) {
    return failed(err);
  } finally {
    yield { op: 'close' };
  }
}

/** The file's text (UTF-8) if it is a regular file of at most maxBytes. Never throws. */
export function readRegularFileSync(absolutePath: string, maxBytes = maxReadBytes): FileRead {
  const steps = readSteps(maxBytes);
  let fd = -1;
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    try {
      const result = step.op === 'open' ? (fd = fs.openSync(absolutePath, openFlags))
        : step.op === 'stat' ? fs.fstatSync(fd)
          : step.op === 'read' ? fs.readSync(fd, step.into, 0, step.into.length, null)
            : fs.closeSync(fd);
      next = steps.next(result);
    } catch (err) {
      next = steps.throw(err);
    }
  }
  return next.value;
}

/** readRegularFileSync without blocking the event loop (the extension host's). */
export async function readRegularFile(absolutePath: string, maxBytes = maxReadBytes): Promise<FileRead> {
  const steps = readSteps(maxBytes);
  let handle: fs.promises.FileHandle | undefined;
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    try {
      const result = step.op === 'open' ? (handle = await fs.promises.open(absolutePath, openFlags))
        : step.op === 'stat' ? await handle!.stat()
          : step.op === 'read' ? (await handle!.read(step.into, 0, step.into.length, null)).bytesRead
            : await handle!.close();
      next = steps.next(result);
    } catch (err) {
      next = steps.throw(err);
    }
  }
  return next.value;
}
