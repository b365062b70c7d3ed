// Validity rules for a parallel plan, returned as field-level issues (never thrown), so callers decide what an
// invalid plan means: the search drops it, `predict` rejects the row, an engine recipe reports the field.
import type { Hardware, ModelShape, Plan, PlanIssue } from './types.ts';

const INT_FIELDS = ['tp', 'pp', 'vp', 'cp', 'ep', 'dp', 'mbs', 'gbs', 'seqLen'] as const;

export interface ValidateOptions {
  /** When given, the world size tp*pp*cp*dp must equal it. */
  numGpus?: number;
}

export function validatePlan(model: ModelShape, plan: Plan, hw: Hardware, opts: ValidateOptions = {}): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (field: PlanIssue['field'], code: string, message: string) => issues.push({ field, code, message });
  for (const f of INT_FIELDS) {
    const v = plan[f];
    if (!Number.isInteger(v) || v < 1) add(f, 'not-positive-integer', `${f} must be a whole number >= 1, got ${String(v)}`);
  }
  if (issues.length) return issues; // the divisibility rules below assume positive integers
  const { tp, pp, vp, cp, ep, dp, mbs, gbs, seqLen } = plan;
  const world = tp * pp * cp * dp;
  if (opts.numGpus !== undefined && world !== opts.numGpus) {
    add('num_gpus', 'world-size', `tp*pp*cp*dp = ${tp}*${pp}*${cp}*${dp} = ${world}, but num_gpus is ${opts.numGpus}`);
  }
  if (model.hidden % model.heads !== 0) add('model', 'head-dim', `hidden (${model.hidden}) not divisible by heads (${model.heads})`);
  if (model.heads % tp !== 0) add('tp', 'heads-tp', `heads (${model.heads}) not divisible by tp (${tp})`);
  if (model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0) {
    add('tp', 'kv-heads-tp', `kv_heads (${model.kvHeads}) neither divisible by tp (${tp}) nor a divisor of it (replication)`);
  }
  if (tp > hw.gpusPerNode) add('tp', 'tp-node', `tp (${tp}) exceeds the ${hw.gpusPerNode} GPUs of a ${hw.name} node: TP must stay on NVLink`);
  if (model.layers % (pp * vp) !== 0) {
    add(pp > 1 && vp > 1 ? 'vp' : 'pp', 'layers-pp', `layers (${model.layers}) not divisible by pp*vp (${pp}*${vp} = ${pp * vp})`);
  }
  if (vp > 1 && pp === 1) add('vp', 'vp-without-pp', `vp (${vp}) > 1 needs pp > 1`);
  if (gbs % (mbs * dp) !== 0) add('gbs', 'gbs-divisible', `gbs (${gbs}) not divisible by mbs*dp (${mbs}*${dp} = ${mbs * dp})`);
  else if (vp > 1 && (gbs / (mbs * dp)) % pp !== 0) {
    add('vp', 'interleave-microbatches', `interleaved schedule needs micro-batches (${gbs / (mbs * dp)}) to be a multiple of pp (${pp})`);
  }
  if (cp > 1 && seqLen % (2 * cp) !== 0) add('cp', 'seq-cp', `seq_len (${seqLen}) not divisible by 2*cp (${2 * cp}) (load-balanced causal CP)`);
  if (ep !== 1) add('ep', 'dense-ep', `ep (${ep}) > 1 needs a mixture-of-experts model; this model is dense`);
  if (!(hw.peakTflops.bf16 > 0) || !(hw.memoryGiB > 0)) {
    add('gpu', 'no-peak', `${hw.name} has no datasheet peak or memory size: the planner models datacenter GPUs only`);
  }
  if (plan.dtype === 'fp8' && hw.peakTflops.fp8 <= hw.peakTflops.bf16) add('dtype', 'no-fp8', `${hw.name} has no FP8 tensor cores`);
  if (plan.task === 'lora' && plan.loraRank !== undefined && (!Number.isInteger(plan.loraRank) || plan.loraRank < 1)) {
    add('loraRank', 'lora-rank', `lora rank must be a whole number >= 1, got ${plan.loraRank}`);
  }
  return issues;
}
