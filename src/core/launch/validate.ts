// Validation before any submission: the planner's parallelism rules (world size, divisibility of heads, KV groups,
// layers, GBS, CP sequence split) plus what the cluster profile adds (whole nodes, GPUs per node). Returns data; the
// caller decides how to fail.
import type { ClusterProfile } from '../cluster/profile.ts';
import { validatePlan } from '../plan/index.ts';
import type { Hardware, PlanIssue } from '../plan/index.ts';
import type { LaunchInput } from '../render/engines/index.ts';

export interface LaunchIssue {
  field: string;
  message: string;
}

export function validateLaunch(input: LaunchInput, cluster: ClusterProfile, hw: Hardware | undefined): LaunchIssue[] {
  const issues: LaunchIssue[] = [];
  if (input.autoPlanGpus) return [...autoPlanIssues(input), ...clusterIssues(input, cluster)];
  const mp = input.tp * input.pp * input.cp;
  if (input.numGpus % mp !== 0) {
    issues.push({ field: 'num_gpus', message: `num_gpus (${input.numGpus}) is not a multiple of tp*pp*cp (${mp})` });
  }
  if (hw) {
    const plan = {
      tp: input.tp, pp: input.pp, vp: input.vp ?? 1, cp: input.cp, ep: input.ep, dp: Math.max(1, Math.floor(input.numGpus / mp)),
      mbs: input.mbs, gbs: input.gbs, seqLen: input.seqLen, dtype: input.dtype === 'fp32' ? 'bf16' : input.dtype,
      recompute: 'none', sharding: 'distributed_optimizer', task: input.task, sequenceParallel: input.tp > 1,
    } as const;
    const model = { layers: input.model.layers, hidden: input.model.hidden, ffn: input.model.ffn, heads: input.model.heads, kvHeads: input.model.kvHeads, vocab: input.model.vocab };
    issues.push(...validatePlan(model, plan, hw, { numGpus: input.numGpus }).map((i: PlanIssue) => ({ field: i.field, message: i.message })));
  }
  return [...issues, ...clusterIssues(input, cluster)];
}

/** nnScaler partitions the model itself over plan_ngpus GPUs; only the data-parallel arithmetic is checked. */
function autoPlanIssues(input: LaunchInput): LaunchIssue[] {
  const plan = input.autoPlanGpus!;
  if (input.numGpus % plan !== 0) return [{ field: 'num_gpus', message: `runtime GPUs (${input.numGpus}) not a multiple of plan_ngpus (${plan})` }];
  const dp = input.numGpus / plan;
  return input.gbs % (input.mbs * dp) === 0 ? [] : [{ field: 'gbs', message: `gbs (${input.gbs}) not divisible by mbs*dp (${input.mbs}*${dp})` }];
}

function clusterIssues(input: LaunchInput, cluster: ClusterProfile): LaunchIssue[] {
  const issues: LaunchIssue[] = [];
  const perNode = cluster.gpus_per_node;
  if (perNode > 0 && input.numGpus > perNode && input.numGpus % perNode !== 0) {
    issues.push({ field: 'num_gpus', message: `num_gpus (${input.numGpus}) does not fill whole nodes of ${perNode} GPUs (cluster ${cluster.name})` });
  }
  if (perNode > 0 && input.tp > perNode) {
    issues.push({ field: 'tp', message: `tp (${input.tp}) spans more than one node of ${perNode} GPUs: tensor parallelism must stay on NVLink` });
  }
  return issues;
}
