// Plan search: enumerate TP x PP x VP x CP x DP x MBS x recompute x sharding for a model, GPU, GPU count, sequence
// length and global batch; drop invalid plans (validatePlan) and those that do not fit; rank by predicted step time.
import { FITTED, type Calibration } from './calibration.ts';
import { memoryPerGpu, type MemoryBreakdown } from './memory.ts';
import { stepTime, type StepTime } from './step-time.ts';
import { RECOMPUTES, type Dtype, type Hardware, type ModelShape, type Plan, type Recompute, type Sharding, type Task } from './types.ts';
import { validatePlan } from './validate.ts';

export interface SearchInput {
  model: ModelShape;
  hw: Hardware;
  numGpus: number;
  seqLen: number;
  gbs: number;
  dtype: Dtype;
  task: Task;
  loraRank?: number;
  /** Parameters and optimizer state: fp32 (mixed precision, default) or bf16 throughout (Plan.paramDtype). */
  paramDtype?: 'fp32' | 'bf16';
  /** Cross-entropy: fused (Megatron, default) or plain over materialised logits (Plan.loss). */
  loss?: 'fused' | 'plain';
  /** Default: none, distributed_optimizer, fsdp_full_shard (zero1 = distributed_optimizer; zero2/3 ~ FSDP). */
  shardings?: readonly Sharding[];
  recomputes?: readonly Recompute[];
  mbsChoices?: readonly number[];
}

export interface RankedPlan {
  plan: Plan;
  time: StepTime;
  memory: MemoryBreakdown;
}

export interface SearchResult {
  considered: number;
  invalid: number;
  outOfMemory: number;
  ranked: RankedPlan[];
  /** The fastest plans that did not fit, for "what would need more memory" (at most 3). */
  bestOutOfMemory: RankedPlan[];
}

const pow2UpTo = (n: number): number[] => {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
};
const divisors = (n: number): number[] => {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
};

export function searchPlans(input: SearchInput, cal: Calibration = FITTED): SearchResult {
  const { model, hw, numGpus, seqLen, gbs } = input;
  const shardings = input.shardings ?? ['none', 'distributed_optimizer', 'fsdp_full_shard'];
  const recomputes = input.recomputes ?? RECOMPUTES;
  const mbsChoices = input.mbsChoices ?? [1, 2, 4, 8, 16];
  const ranked: RankedPlan[] = [];
  const oom: RankedPlan[] = [];
  let considered = 0;
  let invalid = 0;
  const layerDivisors = divisors(model.layers);
  for (const tp of pow2UpTo(hw.gpusPerNode)) {
    for (const cp of pow2UpTo(32)) {
      if (numGpus % (tp * cp) !== 0) continue;
      const rest = numGpus / (tp * cp);
      for (const pp of layerDivisors) {
        if (rest % pp !== 0) continue;
        const dp = rest / pp;
        const vps = pp === 1 ? [1] : layerDivisors.filter((v) => model.layers % (pp * v) === 0 && v <= 16);
        for (const vp of vps) {
          for (const mbs of mbsChoices) {
            if (gbs % (mbs * dp) !== 0) continue;
            for (const recompute of recomputes) {
              for (const sharding of shardings) {
                considered++;
                const plan: Plan = {
                  tp, pp, vp, cp, ep: 1, dp, mbs, gbs, seqLen,
                  dtype: input.dtype, recompute, sharding, task: input.task,
                  sequenceParallel: tp > 1,
                  ...(input.loraRank !== undefined ? { loraRank: input.loraRank } : {}),
                  ...(input.paramDtype !== undefined ? { paramDtype: input.paramDtype } : {}),
                  ...(input.loss !== undefined ? { loss: input.loss } : {}),
                };
                if (validatePlan(model, plan, hw, { numGpus }).length) {
                  invalid++;
                  continue;
                }
                const memory = memoryPerGpu(model, plan, hw);
                const entry = { plan, memory, time: stepTime(model, plan, hw, cal) };
                (memory.fits ? ranked : oom).push(entry);
              }
            }
          }
        }
      }
    }
  }
  const byTime = (a: RankedPlan, b: RankedPlan) => a.time.step_time_s - b.time.step_time_s;
  ranked.sort(byTime);
  oom.sort(byTime);
  return { considered, invalid, outOfMemory: oom.length, ranked, bestOutOfMemory: oom.slice(0, 3) };
}

export const planLabel = (p: Plan): string =>
  `TP${p.tp} PP${p.pp}${p.vp > 1 ? ` VP${p.vp}` : ''}${p.cp > 1 ? ` CP${p.cp}` : ''} DP${p.dp} MBS${p.mbs} recompute=${p.recompute} sharding=${p.sharding}`;
