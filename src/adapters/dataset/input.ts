// Reads a JSONL corpus (optionally gzip-compressed) as batches of whole lines, about `batchBytes` each, numbered by
// their first line so that bad lines can be reported as file:line. Each batch owns its buffer (it is transferred).
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface LineBatch {
  firstLine: number;
  bytes: Uint8Array;
}

export interface InputProgress {
  /** Bytes of the file on disk read so far (compressed bytes for .gz) and its size: the basis of the ETA. */
  fileBytesRead: number;
  fileBytes: number;
}

export async function* readLineBatches(path: string, progress: InputProgress, batchBytes = 1 << 20): AsyncGenerator<LineBatch> {
  progress.fileBytes = statSync(path).size;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('data', (chunk) => void (progress.fileBytesRead += chunk.length));
  const stream = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let nextLine = 1;
  const cut = (upTo: number): LineBatch => {
    const joined = Buffer.concat(pending, pendingBytes);
    const bytes = new Uint8Array(upTo);
    bytes.set(joined.subarray(0, upTo));
    const rest = joined.subarray(upTo + 1);
    pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    pendingBytes = rest.length;
    const batch = { firstLine: nextLine, bytes };
    nextLine += countNewlines(bytes) + 1;
    return batch;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < batchBytes) continue;
      const lastNewline = chunk.lastIndexOf(10);
      if (lastNewline < 0) continue;
      yield cut(pendingBytes - chunk.length + lastNewline);
    }
  } catch (error) {
    throw Object.assign(error as Error, { inputLine: nextLine });
  }
  if (pendingBytes > 0) {
    // The last line may lack its newline; a file ending in "\n" leaves nothing here.
    const joined = Buffer.concat(pending, pendingBytes);
    const end = joined[joined.length - 1] === 10 ? joined.length - 1 : joined.length;
    if (end > 0 || joined.length === 0) yield { firstLine: nextLine, bytes: new Uint8Array(joined.subarray(0, end)) };
  }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  let at = bytes.indexOf(10);
  while (at >= 0) {
    count++;
    at = bytes.indexOf(10, at + 1);
  }
  return count;
}
