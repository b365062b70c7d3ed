// torchtitan: a TOML job config plus an sbatch script running torchrun on every node with a c10d rendezvous at
// the allocation's first node.
import { stringify } from 'smol-toml';
import { containerFlags, jobEnvironment, nodesFor, sbatchHeader } from './slurm-script.ts';
import { sq } from '../shell.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';

export function torchtitanConfig(input: LaunchInput, outputDir: string): Record<string, unknown> {
  const dp = input.numGpus / (input.tp * input.pp * input.cp);
  return {
    job: { dump_folder: outputDir, description: input.runName },
    metrics: { log_freq: 1, enable_tensorboard: false },
    model: { name: 'llama3', flavor: input.model.size.toUpperCase(), hf_assets_path: `./assets/hf/${input.model.hfId ?? input.model.id}` },
    optimizer: { name: 'AdamW', lr: 3e-4 },
    training: {
      local_batch_size: (input.gbs / dp) | 0,
      global_batch_size: input.gbs,
      seq_len: input.seqLen,
      steps: input.steps,
      mixed_precision_param: input.dtype === 'fp32' ? 'float32' : 'bfloat16',
      dataset: 'c4_test',
    },
    parallelism: {
      data_parallel_shard_degree: -1,
      tensor_parallel_degree: input.tp,
      pipeline_parallel_degree: input.pp,
      context_parallel_degree: input.cp,
    },
    activation_checkpoint: { mode: 'selective', selective_ac_option: 'op' },
    ...(input.dtype === 'fp8' ? { float8: { enable_fsdp_float8_all_gather: true } } : {}),
    checkpoint: { enable: false },
  };
}

export const torchtitanRenderer: EngineRenderer = {
  engine: 'torchtitan',
  describe: 'torchtitan TOML config, torchrun per node with c10d rendezvous',
  render(input, cluster) {
    const gpusPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, gpusPerNode);
    const config = `${input.runDir}/torchtitan.toml`;
    const launcher = input.launcherOverride?.length ? input.launcherOverride.map(sq).join(' ') : 'torchrun';
    const torchrun = `${launcher} --nnodes="$SLURM_JOB_NUM_NODES" --nproc_per_node=${gpusPerNode} --rdzv_id="$SLURM_JOB_ID" --rdzv_backend=c10d --rdzv_endpoint="$HEAD_NODE:29500" -m torchtitan.train --job.config_file "$TT_CONFIG"`;
    const lines = [
      ...sbatchHeader(cluster, { jobName: input.runName, nodes, tasksPerNode: 1, gpusPerNode }),
      ...jobEnvironment(cluster, { TT_CONFIG: config }),
      'HEAD_NODE=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | awk "NR==1")',
      'export HEAD_NODE',
      `cd ${sq(`${cluster.stage_path}/torchtitan`)}`,
      `srun ${containerFlags(cluster).map(sq).join(' ')} bash -c ${sq(torchrun)}`,
      '',
    ];
    return {
      engine: 'torchtitan',
      files: [
        { path: 'torchtitan.toml', content: stringify(torchtitanConfig(input, `${input.runDir}/outputs`)) },
        { path: 'sbatch.sh', content: lines.join('\n'), executable: true },
      ],
      submit: [['sbatch', '--parsable', 'sbatch.sh']],
      notes: [`download the tokenizer first: python scripts/download_hf_assets.py --repo_id ${input.model.hfId ?? input.model.id} --assets tokenizer`],
    };
  },
};
