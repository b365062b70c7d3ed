// `data prepare`: JSONL -> tokenizer worker threads -> N Megatron shards, documents dealt round-robin in line order.
// Results are applied strictly in batch order, so the output is the same whatever the number of workers.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { optimalDtype, shardStem } from '../../core/dataset/format.ts';
import { createPacker, type Packer } from '../../core/dataset/pack.ts';
import type { PrepareView, ProgressView } from '../../core/dataset/render.ts';
import { inputError } from '../../core/errors.ts';
import type { TokenizerSpec } from '../tokenizers/resolve.ts';
import { readLineBatches, type InputProgress } from './input.ts';
import { TokenizerPool, type BatchResult } from './pool.ts';
import { IndexedDatasetWriter, type WrittenShard } from './writer.ts';

export interface PrepareOptions {
  input: string;
  outputPrefix: string;
  tokenizer: TokenizerSpec;
  jsonKey: string;
  shards: number;
  workers: number;
  /** Pack into sequences of exactly this many tokens (the short tail is dropped). */
  pack?: number;
  onBadLine: 'skip' | 'stop';
  onProgress?: (progress: PrepareProgress) => void;
  batchBytes?: number;
}

/** Progress as the printed view reads it (`bytes`: uncompressed input bytes tokenized so far). */
export type PrepareProgress = ProgressView;

/** What `data prepare` did: the printed view's figures (documents are counted before packing), with full shards. */
export interface PrepareResult extends Omit<PrepareView, 'shards'> {
  shards: WrittenShard[];
}

const REPORTED_BAD_LINES = 100;

export async function prepareDataset(options: PrepareOptions): Promise<PrepareResult> {
  const started = performance.now();
  const dtype = optimalDtype(options.tokenizer.vocabSize);
  mkdirSync(dirname(options.outputPrefix), { recursive: true });
  const writers = Array.from(
    { length: options.shards },
    (_, i) => new IndexedDatasetWriter(shardStem(options.outputPrefix, i, options.shards, options.jsonKey), dtype),
  );
  const packers: Packer[] | undefined = options.pack ? writers.map(() => createPacker(options.pack!)) : undefined;
  const progress: InputProgress = { fileBytesRead: 0, fileBytes: 0 };
  const totals = { documents: 0, tokens: 0, bytes: 0 };
  const badLines: PrepareResult['badLines'] = { count: 0, first: [] };
  let stop: { line: number; reason: string } | undefined;
  const pending = new Map<number, BatchResult>();
  let nextToApply = 0;

  const apply = (result: BatchResult) => {
    for (const bad of result.bad) {
      badLines.count++;
      if (badLines.first.length < REPORTED_BAD_LINES) badLines.first.push(bad);
      if (options.onBadLine === 'stop') stop ??= bad;
    }
    if (stop) return;
    let offset = 0;
    for (const length of result.lengths) {
      const tokens = result.tokens.subarray(offset, offset + length);
      const shard = totals.documents % writers.length;
      if (packers) packers[shard]!.push(tokens, (sequence) => writers[shard]!.addDocument(sequence));
      else writers[shard]!.addDocument(tokens);
      offset += length;
      totals.documents++;
      totals.tokens += length;
    }
    totals.bytes += result.bytes;
  };
  const onResult = (result: BatchResult) => {
    pending.set(result.id, result);
    while (pending.has(nextToApply)) {
      apply(pending.get(nextToApply)!);
      pending.delete(nextToApply++);
    }
  };

  let pool: TokenizerPool | undefined;
  let lastProgress = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastProgress < 1000)) return;
    lastProgress = now;
    options.onProgress({ ...totals, ...progress, elapsedSeconds: (now - started) / 1000 });
  };
  try {
    pool = await TokenizerPool.start(options.tokenizer, options.workers, options.jsonKey, onResult);
    let id = 0;
    for await (const batch of readLineBatches(options.input, progress, options.batchBytes)) {
      if (stop) break;
      await pool.submit({ id: id++, ...batch });
      report(false);
    }
    await pool.drain();
    if (stop) {
      throw inputError(stop.reason, {
        code: 'bad-input-line',
        file: `${options.input}:${stop.line}`,
        hint: 'fix or remove the line, or pass --on-bad-line skip to skip bad lines and count them',
      });
    }
    const shards = writers.map((w) => w.finish());
    for (const w of writers) w.commit();
    report(true);
    return {
      shards,
      dtype: dtype.name,
      tokenizer: { name: options.tokenizer.name, vocabSize: options.tokenizer.vocabSize, eod: options.tokenizer.eod },
      documents: totals.documents,
      tokens: totals.tokens,
      inputBytes: totals.bytes,
      badLines,
      ...(packers ? { packing: { length: options.pack!, droppedTokens: packers.reduce((sum, p) => sum + p.pending, 0) } } : {}),
      workers: options.workers,
      elapsedSeconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    for (const w of writers) w.abort();
    if (error instanceof Error && 'inputLine' in error) {
      throw inputError(`cannot read near line ${String(error.inputLine)}: ${error.message}`, {
        code: 'unreadable-input',
        file: options.input,
      });
    }
    throw error;
  } finally {
    await pool?.close();
  }
}
