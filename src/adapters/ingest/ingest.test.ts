// Real files in a temp dir: line splitting edge cases, detection, directory layouts from the seeds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainbenchError } from '../../core/errors.ts';
import { findParser, parseLines } from '../../core/ingest/index.ts';
import { forEachLine, parsePath, rankOf } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (p: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/logs', p));
const nemo2 = (i: number, t = 0.5) =>
  `Training epoch 0, iteration ${i}/99 | lr: 0.0003 | global_batch_size: 8 | global_step: ${i} | reduced_train_loss: 7.5 | train_step_timing in s: ${t} | consumed_samples: ${(i + 1) * 8}`;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('forEachLine', () => {
  it('splits LF and CRLF, keeps a truncated last line, decodes UTF-8 split across chunks', async () => {
    const path = file('lines.txt', 'a\r\nb\n█c\nlast-no-newline');
    const lines: string[] = [];
    const stats = await forEachLine(path, (l) => lines.push(l), { chunkBytes: 3 });
    expect(lines).toEqual(['a', 'b', '█c', 'last-no-newline']);
    expect(stats).toMatchObject({ lines: 4, cutLines: 0 });
  });
  it('caps a line: cut at its last CR when there is one', async () => {
    const path = file('long.txt', `${'x'.repeat(50)}\r${'y'.repeat(50)}\n`);
    const lines: string[] = [];
    const stats = await forEachLine(path, (l) => lines.push(l), { maxLine: 64 });
    expect(stats.cutLines).toBe(1);
    expect(lines.join('')).toBe(`${'x'.repeat(50)}${'y'.repeat(50)}`);
  });
});

describe('needle sieve', () => {
  const noisy = Array.from({ length: 3000 }, (_, i) =>
    i % 7 === 3 ? nemo2(i) : i % 11 === 0 ? `Step ${i}: train_step_timing in s=0.${i}` : `NCCL INFO noise line ${i} █`);
  it('hands out only lines with a needle, counts the rest, across chunk boundaries', async () => {
    const path = file('sieve.log', noisy.join('\n'));
    const got: string[] = [];
    let skipped = 0;
    const stats = await forEachLine(path, (l) => got.push(l), { chunkBytes: 97, needles: () => ['train_step_timing'], onSkip: (n) => (skipped += n) });
    expect(got).toEqual(noisy.filter((l) => l.includes('train_step_timing')));
    expect(stats.lines).toBe(3000);
    expect(skipped).toBe(3000 - got.length);
  });
  it('gives the same steps, counts and tail as reading every line', async () => {
    const path = file('sieve2.log', noisy.join('\n') + '\n');
    const fast = await parsePath(path, { format: 'nemo2', chunkBytes: 1000, tailLines: 5 });
    const full = parseLines(findParser('nemo2')!, noisy);
    expect(JSON.stringify(fast.output)).toBe(JSON.stringify(full));
    expect(fast.tail).toEqual(noisy.slice(-5));
  });
});

describe('parsePath', () => {
  it('handles ANSI colours, srun and torchrun rank prefixes, binary garbage and CRLF', async () => {
    const body = [
      '\x1b[32m0: ' + nemo2(0, 1.5),
      Buffer.from([0, 255, 254, 7]).toString('latin1'),
      '[rank0]:' + nemo2(1),
      '0: ' + nemo2(2) + '\r',
      '1: ' + nemo2(2, 99),
    ].join('\r\n');
    const out = await parsePath(file('mixed.log', body));
    expect(out.format).toBe('nemo2');
    expect(out.output.steps.map((s) => [s.step, s.stepTimeS])).toEqual([[0, 1.5], [1, 0.5], [2, 0.5]]);
    expect(out.output.lines.total).toBe(5);
    expect(out.output.warnings.join()).toContain('rank 1');
  });
  it('falls back to every parser when the head has no known format', async () => {
    const noise = Array.from({ length: 30 }, (_, i) => `setup line ${i}`);
    const out = await parsePath(file('late.log', [...noise, 'iter 5: loss 3.1, time 12.50ms'].join('\n')), { headLines: 10 });
    expect(out).toMatchObject({ format: 'nanogpt', how: 'best-of-all' });
    expect(out.output.steps[0]!.stepTimeS).toBe(0.0125);
  });
  it('keeps the tail for diagnosis', async () => {
    const out = await parsePath(file('tail.log', Array.from({ length: 500 }, (_, i) => nemo2(i)).join('\n')), { tailLines: 3 });
    expect(out.tail).toEqual([nemo2(497), nemo2(498), nemo2(499)]);
    expect(out.output.steps).toHaveLength(500);
  });
  it('reads a real fixture unchanged through the file path', async () => {
    const out = await parsePath(file('fx/megatron.log', fixture('megatron/fixstars-mdk-gpt3-7b-1node.log')));
    expect(out.output.steps.at(-1)).toMatchObject({ step: 100, stepTimeS: 12.1043 });
  });
  it('directory: NeMo launcher layout, picks the rank-0 .out and says why', async () => {
    const run = join(dir, 'experiments/lora_nemo_llama3_8b_bf16_16/lora_nemo_llama3_8b_bf16_16_1771198/lora_nemo_llama3_8b_bf16_16');
    file(`${run}/log-acct.lora_nemo_llama3_8b_bf16_16_1771198_0.out`.slice(dir.length + 1), Array.from({ length: 5 }, (_, i) => nemo2(i)).join('\n'));
    file(`${run}/log-acct.lora_nemo_llama3_8b_bf16_16_1771198_3.out`.slice(dir.length + 1), nemo2(0));
    file(`${run}/log-acct.lora_nemo_llama3_8b_bf16_16_1771198_0.err`.slice(dir.length + 1), 'Traceback (most recent call last):');
    file(`${run}/nemo_log_globalrank-0_localrank-0.txt`.slice(dir.length + 1), 'nothing to see');
    const out = await parsePath(join(dir, 'experiments'));
    expect(out.file).toMatch(/_1771198_0\.out$/);
    expect(out.choice?.reason).toContain('rank-0');
    expect(out.output.steps).toHaveLength(5);
  });
  it('directory: Megatron prints on the last rank, so content wins over the rank-0 name', async () => {
    file('mega/rank0.log', 'building GPT model ...\n');
    file('mega/rank7.log', fixture('megatron/deeplink-aichip-qwen-tgs-tflops.log'));
    const out = await parsePath(join(dir, 'mega'));
    expect(out.file).toMatch(/rank7\.log$/);
    expect(out.format).toBe('megatron');
  });
  it('reads gzipped logs, also in directory mode', async () => {
    const { gzipSync } = await import('node:zlib');
    file('gz/run-0.out.gz', gzipSync(Array.from({ length: 50 }, (_, i) => nemo2(i)).join('\n')));
    const out = await parsePath(join(dir, 'gz'));
    expect(out.file).toMatch(/run-0\.out\.gz$/);
    expect(out.format).toBe('nemo2');
    expect(out.output.steps).toHaveLength(50);
    expect(out.tail.at(-1)).toBe(nemo2(49));
    const gz = gzipSync(Array.from({ length: 2000 }, (_, i) => nemo2(i)).join('\n'));
    const cut = await parsePath(file('cut.log.gz', gz.subarray(0, gz.length >> 1)));
    expect(cut.output.steps.length).toBeGreaterThan(100);
    expect(cut.output.warnings.join()).toContain('gzip stream damaged');
  });
  it('errors name the path and the fix', async () => {
    await expect(parsePath(join(dir, 'missing.log'))).rejects.toBeInstanceOf(TrainbenchError);
    await expect(parsePath(file('x.log', nemo2(0)), { format: 'nemo3' })).rejects.toThrow(/unknown log format 'nemo3'/);
    await expect(parsePath('/dev/null')).rejects.toThrow(/neither a file nor a directory/);
    const { randomBytes } = await import('node:crypto');
    await expect(parsePath(file('model.bin', randomBytes(200_000)))).rejects.toThrow(/looks like a binary file/);
    expect((await parsePath(file('model2.bin', randomBytes(200_000)), { format: 'nemo2' })).output.steps).toEqual([]);
    mkdirSync(join(dir, 'empty'));
    await expect(parsePath(join(dir, 'empty'))).rejects.toThrow(/no log files/);
  });
  it('rankOf reads the common per-rank names', () => {
    expect([rankOf('rank0.log'), rankOf('x_1771198_3.out'), rankOf('slurm-1234.out'), rankOf('log_rank_12.txt')]).toEqual([0, 3, undefined, 12]);
  });
});
