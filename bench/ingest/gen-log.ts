// The benchmark's NeMo 2 log: the reference workload's step line, one NeMo info line in 50, and `noise` NCCL INFO /
// NeMo warning lines per step line (real multi-GB logs are mostly such noise around relatively few steps).
import { createWriteStream } from 'node:fs';

const NOISE = [
  'node01:1234:5678 [0] NCCL INFO Channel 00/32 :    0   1   2   3   4   5   6   7',
  '[NeMo W 2026-11-26 05:00:00 nemo_logging:405] /usr/local/lib/python3.10/dist-packages/torch/utils/checkpoint.py:429: UserWarning: torch.utils.checkpoint: please pass in use_reentrant=True or use_reentrant=False explicitly.',
  'node01:1234:5678 [0] NCCL INFO comm 0x5581e2a0 rank 0 nranks 8 cudaDev 0 nvmlDev 0 busId 18000 commId 0x1234abcd - Init COMPLETE',
];

/** Writes about `bytes` of log with `noise` other lines per step line; returns the number of step lines. */
export async function writeLog(path: string, bytes: number, noise = 0): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let step = 0;
  while (written < bytes) {
    const parts: string[] = [];
    for (let k = 0; k < Math.max(20, Math.floor(2000 / (1 + noise))); k++, step++) {
      if (step % 50 === 49) parts.push(`[NeMo I 2026-11-26 05:00:00 nemo_logging:393] Async finalization time took 0.001 s\n`);
      for (let n = 0; n < noise; n++) parts.push(`${NOISE[(step + n) % NOISE.length]}\n`);
      const t = (0.4 + ((step * 7919) % 1000) / 10000).toFixed(4);
      parts.push(`Training epoch 0, iteration ${step}/99999999 | lr: 0.0003 | global_batch_size: 8 | global_step: ${step} | peak_memory_usage: 35475423232 | memory_allocated: 16209118208 | reduced_train_loss: ${(7 - step / 1e7).toFixed(4)} | train_step_timing in s: ${t} | consumed_samples: ${(step + 1) * 8}\n`);
    }
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return step;
}

