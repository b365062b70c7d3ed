// End to end on real output: the reference workload (Debian torch 1.13 on CPU, one rank) writes its log the way a
// job's output file gets it (stdout + stderr), then parsePath + classifyFailure read it. Faults are the workload's
// own injection (TRAINBENCH_FAULT), which prints the real PyTorch/NCCL wording.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../core/classify/index.ts';
import { parsePath } from './index.ts';

const python = process.env.TRAINBENCH_TEST_PYTHON ?? '/usr/bin/python3';
const train = join(import.meta.dirname, '../../../workload/train.py');
const dir = mkdtempSync(join(tmpdir(), 'tb-ingest-workload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'run.json');
writeFileSync(config, JSON.stringify({
  model: { layers: 1, hidden: 64, ffn: 128, heads: 2, kv_heads: 1, vocab: 512 },
  seq_len: 32, micro_batch: 2, global_batch: 4, steps: 6, device: 'cpu', cpu_threads: 1,
}));

function runWorkload(name: string, fault?: string): string {
  const log = join(dir, `${name}.out`);
  const env = { ...process.env, RANK: '0', WORLD_SIZE: '1', LOCAL_RANK: '0', ...(fault ? { TRAINBENCH_FAULT: fault } : {}) };
  spawnSync('bash', ['-c', `'${python}' '${train}' --config '${config}' > '${log}' 2>&1`], { env, timeout: 120_000 });
  return log;
}

async function diagnose(log: string) {
  const p = await parsePath(log);
  const d = classifyFailure({ tail: p.tail, tailStartLine: p.output.lines.total - p.tail.length + 1, steps: p.output.steps });
  return { p, d };
}

describe.skipIf(!existsSync(python))('the reference workload, parsed', () => {
  it('a completed run: steps, events, header facts, no failure', async () => {
    const { p, d } = await diagnose(runWorkload('ok'));
    expect(p.format).toBe('workload');
    expect(p.output.steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.output.steps.every((s) => s.stepTimeS! > 0 && s.time! > 1.7e9 && s.loss! > 0)).toBe(true);
    expect(p.output.header).toMatchObject({ worldSize: 1, seqLen: 32, globalBatchSize: 4, totalSteps: 6 });
    expect(p.output.events.map((e) => e.event)).toEqual(['start', 'step', 'step', 'step', 'step', 'step', 'step', 'end']);
    expect(p.output.finalMetrics.status).toBe('completed');
    expect(d.kind).toBe('unknown');
  });
  it('injected faults are classified from the real output', async () => {
    const cases: [string, string][] = [['oom:step=3', 'cuda_oom'], ['nccl_timeout:step=2', 'nccl_timeout'], ['raise:step=2', 'python_exception']];
    for (const [fault, kind] of cases) {
      const { p, d } = await diagnose(runWorkload(fault.split(':')[0]!, fault));
      expect(d.kind, fault).toBe(kind);
      expect(p.output.steps.length, fault).toBe(Number(/step=(\d+)/.exec(fault)![1]));
      expect(d.evidence[0]!.line).toBeGreaterThan(1);
      if (kind === 'cuda_oom') expect(d.details).toMatchObject({ tried: '2.00 GiB', gpu: 0, total: '79.15 GiB', free: '1.19 GiB' });
      if (kind === 'python_exception') expect(d.details).toMatchObject({ type: 'RuntimeError', message: 'injected fault (TRAINBENCH_FAULT) at step 2 on rank 0' });
    }
  });
});
