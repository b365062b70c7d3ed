// A fixed set of tokenizer worker threads. Batches go to the least-loaded worker (at most `depth` queued on each, so
// no worker idles while the reader waits); results come back in any order, tagged with the batch id.
import { Worker } from 'node:worker_threads';
import type { TokenizerSpec } from '../tokenizers/resolve.ts';
import { WORKER_SOURCE } from './worker-source.ts';

export interface Batch {
  id: number;
  firstLine: number;
  bytes: Uint8Array;
}

export interface BatchResult {
  id: number;
  /** Token count of each good document, in line order (0 for an empty text). */
  lengths: Int32Array;
  tokens: Uint32Array;
  bad: { line: number; reason: string }[];
  bytes: number;
}

export class TokenizerPool {
  private workers: { worker: Worker; queued: number }[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private onResult: (result: BatchResult) => void;
  private depth: number;
  private jsonKey: string;

  private constructor(onResult: (result: BatchResult) => void, jsonKey: string, depth: number) {
    this.onResult = onResult;
    this.jsonKey = jsonKey;
    this.depth = depth;
  }

  /** Starts `size` workers and waits until each has loaded its tokenizer. */
  static async start(spec: TokenizerSpec, size: number, jsonKey: string, onResult: (r: BatchResult) => void): Promise<TokenizerPool> {
    const pool = new TokenizerPool(onResult, jsonKey, 2);
    await Promise.all(Array.from({ length: size }, () => pool.spawn(spec)));
    return pool;
  }

  private spawn(spec: TokenizerSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { spec } });
      const slot = { worker, queued: 0 };
      this.workers.push(slot);
      worker.on('message', (message: { ready?: true; fatal?: string } & Partial<BatchResult>) => {
        if (message.ready) return resolve();
        if (message.fatal) {
          const error = new Error(`tokenizer worker failed: ${message.fatal}`);
          this.fail(error);
          return reject(error);
        }
        slot.queued--;
        this.onResult(message as BatchResult);
        this.waiters.shift()?.();
      });
      worker.on('error', (error) => {
        this.fail(error);
        reject(error);
      });
    });
  }

  /** Sends a batch, waiting first while every worker already has `depth` batches queued. */
  async submit(batch: Batch): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const slot = this.workers.reduce((a, b) => (b.queued < a.queued ? b : a));
      if (slot.queued < this.depth) {
        slot.queued++;
        slot.worker.postMessage({ ...batch, jsonKey: this.jsonKey }, [batch.bytes.buffer as ArrayBuffer]);
        return;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves once every submitted batch has come back. */
  async drain(): Promise<void> {
    while (this.workers.some((w) => w.queued > 0)) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
