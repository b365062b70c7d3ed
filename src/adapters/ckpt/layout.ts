// Which checkpoint is in a directory: the reference workload's (step_NNNNNN/rank_NNNNN.pt + manifest.json, complete
// only when the manifest lists files that all exist), or another engine's layout, named so the user knows which
// tool merges it. Only the workload's format is merged here.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inputError } from '../../core/errors.ts';

export interface WorkloadStep {
  step: number;
  dir: string;
  worldSize: number;
  files: string[];
}

const stepName = /^step_(\d+)$/;

/** The manifest of a complete workload step directory, or why it is not complete. */
export function readStep(dir: string): WorkloadStep | string {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return `${dir} has no manifest.json (a checkpoint cut off before rank 0 finished it)`;
  let m: { step?: unknown; world_size?: unknown; files?: unknown };
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as typeof m;
  } catch (e) {
    return `${path} does not parse: ${(e as Error).message}`;
  }
  const files = Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === 'string') : [];
  if (typeof m.step !== 'number' || typeof m.world_size !== 'number' || files.length === 0) {
    return `${path} lacks step, world_size or files`;
  }
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) return `${dir} is missing ${missing.join(', ')} listed in its manifest`;
  return { step: m.step, dir, worldSize: m.world_size, files };
}

/** Relative paths under root, two levels deep, enough to recognise every layout below. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      out.push(relative(root, path));
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        // a dangling link or a file we may not stat: listed, not entered
      }
      if (depth < 2 && out.length < 5000 && isDir) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** Names another engine's checkpoint layout, with the tool that merges or converts it; null when none matches. */
export function foreignLayout(paths: string[]): string | null {
  const base = (p: string) => p.split('/').pop() ?? p;
  if (paths.some((p) => /(^|\/)(zero_pp_rank_\d+_mp_rank_\d+_optim_states\.pt|mp_rank_\d+_model_states\.pt)$/.test(p)) || (paths.includes('latest') && paths.some((p) => /^global_step\d+$/.test(p)))) {
    return 'a DeepSpeed checkpoint (global_step*/ with mp_rank_*_model_states.pt / zero_pp_rank_*_optim_states.pt): consolidate it with DeepSpeed\'s zero_to_fp32.py';
  }
  if (paths.includes('latest_checkpointed_iteration.txt') || paths.some((p) => /^iter_\d{7}$/.test(p))) {
    const dist = paths.some((p) => p.endsWith('.distcp') || base(p) === '.metadata');
    return `a Megatron-LM checkpoint (iter_NNNNNNN/${dist ? ' torch_dist shards' : 'mp_rank_*/model_optim_rng.pt'}, latest_checkpointed_iteration.txt): convert it with Megatron-LM's tools/checkpoint/convert.py`;
  }
  if (paths.some((p) => /^\d+\.ckpt$/.test(base(p)))) {
    return "an nnScaler checkpoint (per-rank N.ckpt shards): merge it with nnScaler's ckpt_merger.py --ckpt_dir DIR --output_fname FILE";
  }
  if (paths.some((p) => p.endsWith('.distcp'))) return 'a torch.distributed.checkpoint (DCP) directory (*.distcp + .metadata): convert it with torch.distributed.checkpoint.format_utils.dcp_to_torch_save';
  return null;
}

/** The step to merge: `step` if given, else the newest complete one. Exit 4 with what was found otherwise. */
export function findWorkloadStep(root: string, step?: number): WorkloadStep {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw inputError(`${root} is not a directory`, { code: 'no-checkpoint-dir', file: root, hint: 'pass the checkpoint.dir the workload wrote to' });
  }
  const own = readStep(root);
  if (typeof own !== 'string' && (step === undefined || own.step === step)) return own; // a step directory itself
  const hasSteps = readdirSync(root).some((n) => stepName.test(n));
  // A trainbench run directory: the workload writes to <runDir>/checkpoints (start-workload.ts).
  if (!hasSteps && existsSync(join(root, 'checkpoints'))) return findWorkloadStep(join(root, 'checkpoints'), step);
  const steps = readdirSync(root)
    .map((n) => stepName.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), dir: join(root, m[0]) }))
    .sort((a, b) => b.step - a.step);
  const wanted = step === undefined ? steps : steps.filter((s) => s.step === step);
  const reasons: string[] = [];
  for (const s of wanted) {
    const r = readStep(s.dir);
    if (typeof r !== 'string') return r;
    reasons.push(r);
  }
  if (step !== undefined && steps.length) {
    throw inputError(`no complete checkpoint for step ${step} in ${root}${reasons.length ? `: ${reasons.join('; ')}` : ''}`, {
      code: 'checkpoint-step-missing',
      file: root,
      hint: `steps present: ${steps.map((s) => s.step).reverse().join(', ')}`,
    });
  }
  if (reasons.length) {
    throw inputError(`no complete workload checkpoint in ${root}: ${reasons.join('; ')}`, { code: 'checkpoint-incomplete', file: root, hint: 'resume the run so it writes a complete checkpoint, or pick another --step' });
  }
  const paths = listing(root);
  const foreign = foreignLayout(paths);
  if (foreign) {
    throw inputError(`${root} holds ${foreign}; trainbench merges only the reference workload's step_N/rank_N.pt + manifest.json checkpoints`, {
      code: 'checkpoint-format-unsupported',
      file: root,
      hint: 'use the engine\'s own tool named above',
    });
  }
  const top = paths.filter((p) => !p.includes('/'));
  const found = top.length ? `${top.slice(0, 8).join(', ')}${top.length > 8 ? ` and ${top.length - 8} more` : ''}` : 'nothing';
  throw inputError(`no checkpoint found in ${root} (found: ${found})`, {
    code: 'checkpoint-format-unknown',
    file: root,
    hint: 'expected step_NNNNNN/rank_NNNNN.pt and manifest.json, as the workload writes with checkpoint.dir',
  });
}
