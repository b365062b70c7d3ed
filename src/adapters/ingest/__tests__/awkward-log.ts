// A NeMo 2 (optionally workload) log full of the lines a byte-level step reader could get wrong: odd numbers,
// repeated and unknown keys, separators without spaces, CR redraws, `^M`, ANSI colours, NUL bytes, non-ASCII, rank
// prefixes, delta timing lines, events, restarts, redraws of one step, noise, blank lines, a missing final newline.
import { seededRandom } from '../../../core/seeded-random.ts';

const VALUES = ['0.5', '7.25', '3e-05', '1.5E+3', '2e-30', '1e23', 'nan', '-1', '0', '0.0', '', ' 5', '5 ', '1,234', '1234567890123456',
  '.5', '5.', '12', '0003', '4.2e', '1e+', '9'.repeat(15), '35475423232', 'inf', '+3'];
const KEYS = ['lr', 'global_batch_size', 'global_step', 'peak_memory_usage', 'memory_allocated', 'reduced_train_loss',
  'train_step_timing in s', 'consumed_samples', 'train_loss', 'loss', 'grad_norm', 'max_memory_reserved', 'TFLOPS_per_GPU',
  'tokens_per_sec_per_gpu', 'peak_memory_gib', 'val_loss', 'loss_scale', 'lr_x'];
const NOISE = [
  'node01:1234:5678 [0] NCCL INFO Channel 00/32 :    0   1   2   3',
  '[NeMo I 2026-11-26 05:00:00 nemo_logging:393] Async finalization time took 0.001 s',
  '[NeMo W 2026-11-26 05:00:00 nemo_logging:405] UserWarning: train_loss is not what you think',
  '', '   ', '█ progress ▏', 'Epoch 0: 100%|██████████| 10/10 [00:01<00:00]',
];

export function awkwardLog(seed: number, lines: number, opts: { events: boolean }): string {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const num = () => (r() < 0.75 ? (0.3 + r()).toFixed(1 + Math.floor(r() * 4)) : pick(VALUES));
  let step = 0;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const x = r();
    if (x < 0.55) {
      // A step line: mostly clean, sometimes odd.
      if (r() < 0.03) step = Math.max(0, step - 1 - Math.floor(r() * 20)); // restart
      else if (r() < 0.9) step += r() < 0.1 ? 2 + Math.floor(r() * 3) : 1; // progress_interval > 1 now and then
      const odd = r() < 0.3;
      const fields = [
        `lr: ${odd ? num() : '0.0003'}`, `global_batch_size: ${odd ? num() : '8'}`, `global_step: ${odd && r() < 0.2 ? num() : step}`,
        `peak_memory_usage: 35475423232`, `memory_allocated: 16209118208`, `reduced_train_loss: ${num()}`,
        `train_step_timing in s: ${odd ? num() : (0.4 + r() / 10).toFixed(4)}`, `consumed_samples: ${(step + 1) * 8}`,
      ];
      if (odd) for (let k = 0; k < 3; k++) fields.splice(Math.floor(r() * fields.length), r() < 0.3 ? 1 : 0, `${pick(KEYS)}: ${num()}`);
      const sep = odd && r() < 0.3 ? pick([' |', '|', ' |  ', ' || ', ' | ']) : ' | ';
      const total = r() < 0.1 ? '?' : '99999';
      let line = `Training epoch ${r() < 0.05 ? 1 : 0}, iteration ${step}/${total}${sep}${fields.join(sep)}`;
      if (odd && r() < 0.5) {
        const at = Math.floor(r() * line.length);
        const junk = pick(['\r', '^M', '\x1b[32m', '\x00', '\b', 'é', '█', '\t', 'TRAINBENCH_EVENT', ': ', ' |', '\r\r']);
        line = line.slice(0, at) + junk + line.slice(at);
      }
      if (odd && r() < 0.1) line = pick(['0: ', '[rank0]:', ' ', '[default0]:']) + line;
      out.push(line);
    } else if (x < 0.6) out.push(`Step ${step}: train_step_timing in s=${num()}`);
    else if (x < 0.63 && opts.events) out.push(`TRAINBENCH_EVENT {"event":"step","step":${step},"time":${1.7e9 + i},"step_time_s":0.5}`);
    else if (x < 0.64) out.push(`Training epoch 0, iteration ${step}/99 | reduced_train_loss: ${num()}\r`);
    else out.push(pick(NOISE));
  }
  return out.join(r() < 0.5 ? '\n' : '\r\n') + (seed % 2 ? '' : '\n');
}
