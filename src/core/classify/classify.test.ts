// One test per failure class on real fixtures (fixtures/logs) where a public one exists, otherwise on the
// constructed excerpts in ./fixtures (each says so in its first line, with the engine whose format it follows).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findParser, parseLines } from '../ingest/index.ts';
import type { StepRecord } from '../ingest/index.ts';
import { classifyFailure } from './index.ts';
import type { FailureInput } from './index.ts';

const real = (p: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/logs', p), 'utf8').replace(/\n$/, '').split('\n');
const made = (p: string) => readFileSync(join(import.meta.dirname, 'fixtures', p), 'utf8').replace(/\n$/, '').split('\n');
const classify = (tail: string[], extra: Omit<FailureInput, 'tail'> = {}) => classifyFailure({ tail, ...extra });

describe('classifyFailure on real fixtures', () => {
  it('cuda_oom: GPU, size tried, free and total', () => {
    const d = classify(real('failures/fixstars-mdk-cuda-oom.log'));
    expect(d.kind).toBe('cuda_oom');
    expect(d.details).toEqual({ tried: '6.37 GiB', gpu: 0, total: '79.11 GiB', free: '2.93 GiB' });
    expect(d.evidence[0]!.line).toBe(1);
    expect(d.advice).toMatch(/micro-batch/);
  });
  it('nccl_timeout: [rankN]: prefixed watchdog lines, SeqNum, op, timeout', () => {
    const d = classify(real('failures/nccl-watchdog-llamafactory-6269.log'), { tailStartLine: 101 });
    expect(d.kind).toBe('nccl_timeout');
    expect(d.details).toMatchObject({ seqNum: 7753, opType: '_REDUCE_SCATTER_BASE', timeoutMs: 600000, ranForMs: 600061 });
    expect(d.evidence[0]!.line).toBe(101);
  });
  it('network: a gloo recv timeout after a partition between namespace nodes names the silent node', () => {
    const d = classify(made('gloo-partition-namespace-cluster.log'), { nodes: ['node1', 'node2'], slurmState: 'FAILED' });
    expect(d.kind).toBe('network');
    expect(d.details).toMatchObject({ transport: 'gloo', operation: 'recv', timeoutMs: 15000, reportedBy: 'node1', silentNodes: 'node2' });
    expect(d.summary).toContain('silent: node2');
    expect(d.alsoSeen).toContain('python_exception');
  });
  it('nccl_timeout glued to the end of a NeMo bar', () => {
    const d = classify(real('failures/nccl-watchdog-nemo-bar-pytorch-118369.log'));
    expect(d.kind).toBe('nccl_timeout');
    expect(d.details).toMatchObject({ opType: 'ALLREDUCE', timeoutMs: 1800000, ranForMs: 25624887 });
  });
  it('python_exception: first traceback, type, message, last frame (two ranks interleaved)', () => {
    const d = classify(real('failures/alcf-megatron-deepspeed-ckpt-traceback.log'));
    expect(d.kind).toBe('python_exception');
    expect(d.details.type).toBe('AttributeError');
    expect(d.details.message).toBe("'GPTModel' object has no attribute '_get_tp_replicated_param_patterns'");
    expect(d.evidence.map((e) => e.line)).toEqual([1, 19, 21]);
  });
  it('python_exception: torch elastic Root Cause block without its header', () => {
    const d = classify(real('failures/nnscaler-issue10-elastic-childfailed.log'));
    expect(d.kind).toBe('python_exception');
    expect(d.details).toMatchObject({ 'rootCause.rank': '0 (local_rank: 0)', 'rootCause.exitcode': '1 (pid: 4220)', 'rootCause.time': '2024-10-22_06:18:55' });
    expect(d.summary).toContain('rank 0, exit 1');
  });
  it('slurm_time_limit: STEP variant; the log wins over a sacct COMPLETED', () => {
    const d = classify(real('failures/slurm-time-limit-desitarget-628.log'), { slurmState: 'COMPLETED' });
    expect(d.kind).toBe('slurm_time_limit');
    expect(d.details).toMatchObject({ entity: 'STEP', id: '32233190.0', node: 'nid01934', at: '2020-07-03T02:59:56' });
  });
  it('slurm_time_limit in seed 003 (HF Trainer on Baskerville)', () => {
    const seed = readdirSync(join(import.meta.dirname, '../../../fixtures/seeds')).find((f) => f.startsWith('003'))!;
    const text = readFileSync(join(import.meta.dirname, '../../../fixtures/seeds', seed), 'utf8').split('\n');
    const d = classify(text.slice(452, 468));
    expect(d.kind).toBe('slurm_time_limit');
  });
  it('nan_loss: nanoGPT loss nan from iter 3010, from text and from steps', () => {
    const lines = real('nanogpt/nanogpt-issue215-v100-nan.log');
    const steps = parseLines(findParser('nanogpt')!, lines).steps;
    const d = classify(lines, { steps });
    expect(d.kind).toBe('nan_loss');
    expect(d.details).toEqual({ firstStep: 3010, nanSteps: 6 });
    expect(classify([], { steps }).kind).toBe('nan_loss');
  });
  it('unknown: a healthy Megatron log', () => {
    const d = classify(real('megatron/fixstars-mdk-gpt3-7b-1node.log'), { exitCode: 1 });
    expect(d.kind).toBe('unknown');
    expect(d.summary).toContain('exit code 1');
  });
});

describe('classifyFailure on constructed excerpts', () => {
  const cases: [string, string, Omit<FailureInput, 'tail'>?][] = [
    ['cpu-oom-slurm-cgroup.log', 'cpu_oom'],
    ['nccl-error-pytorch.log', 'nccl_error'],
    ['slurm-job-time-limit.log', 'slurm_time_limit'],
    ['slurm-cancelled.log', 'cancelled'],
    ['slurm-node-fail.log', 'node_fail'],
    ['megatron-missing-dataset.log', 'missing_dataset'],
    ['hf-missing-tokenizer.log', 'missing_tokenizer'],
    ['hf-gated-401.log', 'hf_auth'],
    ['hang-no-progress.log', 'hang', { stalledForS: 1800 }],
  ];
  for (const [file, kind, extra] of cases) {
    it(`${kind} (${file})`, () => {
      const lines = made(file);
      expect(lines[0]).toMatch(/^# constructed: /);
      const steps = parseLines(findParser('nemo2')!, lines).steps;
      const d = classify(lines, { ...extra, steps });
      expect(d.kind).toBe(kind);
      expect(d.evidence.length).toBeGreaterThan(0);
    });
  }
  it('details: JOB time limit, node, missing path, gated repo', () => {
    expect(classify(made('slurm-job-time-limit.log')).details).toMatchObject({ entity: 'JOB', id: '1234' });
    expect(classify(made('megatron-missing-dataset.log')).details.path).toBe('/data/gpt3-dataset/my-gpt3_00_text_document.idx');
    expect(classify(made('hf-gated-401.log')).details.repo).toBe('meta-llama/Meta-Llama-3-8B');
    expect(classify(made('nccl-error-pytorch.log')).alsoSeen).toContain('python_exception');
  });
  it('cancelled from the Slurm <= 24.11 bare marker and from sacct state', () => {
    expect(classify(['slurmstepd: error: *** JOB 1234 ON node01 CANCELLED AT 2025-01-31T10:00:00 ***']).kind).toBe('cancelled');
    expect(classify([], { slurmState: 'CANCELLED by 0' }).kind).toBe('cancelled');
    expect(classify([], { slurmState: 'OUT_OF_MEMORY' }).kind).toBe('cpu_oom');
  });
  it('a traceback before a task-failure cancel is the cause; a SignalException after a time limit is not', () => {
    const tb = ['Traceback (most recent call last):', '  File "t.py", line 3, in <module>', 'ValueError: bad shape', 'slurmstepd: error: *** STEP 9.0 ON n1 CANCELLED AT 2025-01-31T10:00:00 ***'];
    expect(classify(tb).kind).toBe('python_exception');
    const sig = ['slurmstepd: error: *** JOB 9 ON n1 CANCELLED AT 2025-01-31T10:00:00 DUE TO TIME LIMIT ***', 'Traceback (most recent call last):', 'torch.distributed.elastic.multiprocessing.api.SignalException: Process 42 got signal: 15'];
    expect(classify(sig).kind).toBe('slurm_time_limit');
  });
  it('an exception the training logged steps after was not fatal', () => {
    const step = (i: number) => `Training epoch 0, iteration ${i}/99 | global_step: ${i} | train_step_timing in s: 0.5`;
    const tail = [step(1), 'Traceback (most recent call last):', '  File "x.py", line 1, in <module>', 'ValueError: retried', step(2), step(3)];
    const steps = parseLines(findParser('nemo2')!, tail).steps;
    expect(classify(tail, { steps, tailStartLine: 1 }).kind).toBe('unknown');
    expect(classify(tail.slice(0, 4), { steps: steps.slice(0, 1), tailStartLine: 1 }).kind).toBe('python_exception');
  });
  it('loss_spike (constructed step series: flat loss ~2.0, then 9.5 at step 15)', () => {
    const steps: StepRecord[] = Array.from({ length: 20 }, (_, i) => ({ step: i + 1, line: i + 1, loss: i === 14 ? 9.5 : 2 + (i % 3) * 0.01 }));
    const d = classify([], { steps });
    expect(d.kind).toBe('loss_spike');
    expect(d.details).toMatchObject({ step: 15, loss: 9.5 });
  });
});
