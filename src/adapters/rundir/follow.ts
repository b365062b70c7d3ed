// Prints a log and, when following, whatever is appended until the job ends (then the last bytes, then stops).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** Writes the bytes of `file` from `offset` on; returns the new offset. Splits nothing: bytes are passed through. */
export function copyFrom(file: string, offset: number, write: (text: string) => void): number {
  if (!existsSync(file)) return offset;
  const size = statSync(file).size;
  if (size < offset) offset = 0; // truncated or replaced: start over
  if (size === offset) return offset;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const decoder = new TextDecoder('utf-8');
  try {
    while (offset < size) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
      if (n === 0) break;
      offset += n;
      write(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    write(decoder.decode());
  } finally {
    closeSync(fd);
  }
  return offset;
}

export async function followLog(
  file: string,
  write: (text: string) => void,
  ended: () => Promise<boolean>,
  pollMs = 500,
): Promise<void> {
  let offset = 0;
  for (;;) {
    const done = await ended(); // asked before reading, so the final read sees everything written before the end
    offset = copyFrom(file, offset, write);
    if (done) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
