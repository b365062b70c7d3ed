// A resolved recipe -> the engine renderers' LaunchInput. Parallelism degrees the seed prints as NA become 1; the
// seeds' MODEL_SIZE value (8b, 70b, 175b) is the model name's size suffix.
import type { ResolvedRecipe } from '../catalog/index.ts';
import type { LaunchInput } from '../render/engines/index.ts';

export const modelSize = (name: string): string => /(\d+(?:\.\d+)?b)(?:-mini)?$/i.exec(name)?.[1]?.toLowerCase() ?? name;

export function launchInputFrom(r: ResolvedRecipe, runName: string, runDir: string, extra: Partial<LaunchInput> = {}): LaunchInput {
  const p = r.parallelism;
  const hfId = (r.model as { hf_id?: string }).hf_id;
  return {
    runName,
    task: r.task,
    model: {
      id: r.model.name,
      size: modelSize(r.model.name),
      family: r.model.family,
      ...(hfId ? { hfId } : {}),
      layers: r.model.layers,
      hidden: r.model.hidden,
      ffn: r.model.ffn,
      heads: r.model.heads,
      kvHeads: r.model.kv_heads,
      vocab: r.model.vocab,
    },
    dtype: r.dtype === 'tf32' ? 'fp32' : r.dtype,
    seqLen: r.seq_len,
    gbs: r.gbs,
    mbs: r.mbs,
    tp: p.tp ?? 1,
    pp: p.pp ?? 1,
    cp: p.cp ?? 1,
    ep: p.ep ?? 1,
    vp: p.vp,
    numGpus: r.num_gpus,
    steps: r.steps ?? 0,
    runDir,
    ...(p.auto_plan_gpus ? { autoPlanGpus: p.auto_plan_gpus } : {}),
    ...extra,
  };
}
