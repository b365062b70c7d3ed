// Append-only file with a fixed write buffer: the writer's memory stays constant however large the corpus is.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export class BufferedFile {
  readonly path: string;
  private fd: number;
  private buffer: Buffer;
  private fill = 0;
  bytesWritten = 0;

  constructor(path: string, bufferBytes = 4 << 20) {
    this.path = path;
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  write(bytes: Uint8Array): void {
    if (bytes.length > this.buffer.length - this.fill) this.flush();
    if (bytes.length >= this.buffer.length) {
      this.writeAll(bytes);
    } else {
      this.buffer.set(bytes, this.fill);
      this.fill += bytes.length;
    }
    this.bytesWritten += bytes.length;
  }

  flush(): void {
    if (this.fill > 0) this.writeAll(this.buffer.subarray(0, this.fill));
    this.fill = 0;
  }

  /** Flushes, fsyncs (so a rename after it publishes complete data) and closes. */
  close(sync: boolean): void {
    if (this.fd < 0) return;
    this.flush();
    if (sync) fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private writeAll(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}
