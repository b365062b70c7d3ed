// NeMo Launcher (NeMo 1, Hydra): the GPT-3 175B and Llama 3.1 70B pretraining seeds. The launcher renders and
// submits its own sbatch job; trainbench renders `launch.sh` with the Hydra overrides the seeds fix (TP/PP/VP/CP,
// MBS, GBS = nodes x 16, 50 steps, fp8 settings) and the seeds' results layout
// $STAGE_PATH/results/$GSW_VERSION/$DTYPE/<size>/$JOB_TOTAL_GPUS.
import { containerFlags, jobEnvironment, nodesFor } from './slurm-script.ts';
import { sq } from '../shell.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';
import type { ClusterProfile } from '../../cluster/profile.ts';

const launcherConfig = (input: LaunchInput): string =>
  input.model.family === 'gpt' ? `gpt3/${input.model.size}` : `llama/llama3_1_${input.model.size}`;

export function nemo1Overrides(input: LaunchInput, cluster: ClusterProfile): string[] {
  const nodes = nodesFor(input.numGpus, cluster.gpus_per_node);
  const o = [
    `training=${launcherConfig(input)}`,
    'stages=[training]',
    `training.trainer.num_nodes=${nodes}`,
    `training.trainer.devices=${cluster.gpus_per_node}`,
    `training.trainer.max_steps=${input.steps}`,
    `training.trainer.val_check_interval=${input.steps}`,
    'training.trainer.log_every_n_steps=1',
    'training.exp_manager.create_checkpoint_callback=False',
    `training.model.tensor_model_parallel_size=${input.tp}`,
    `training.model.pipeline_model_parallel_size=${input.pp}`,
    `training.model.virtual_pipeline_model_parallel_size=${input.vp ?? 'null'}`,
    `training.model.context_parallel_size=${input.cp}`,
    `training.model.micro_batch_size=${input.mbs}`,
    `training.model.global_batch_size=${input.gbs}`,
    `training.model.encoder_seq_length=${input.seqLen}`,
    'training.trainer.precision=bf16',
  ];
  if (input.dtype === 'fp8') {
    o.push('training.model.fp8=True', 'training.model.fp8_hybrid=True', 'training.model.fp8_amax_history_len=1024', 'training.model.fp8_amax_compute_algo=max');
  } else {
    o.push('training.model.fp8=False');
  }
  if (input.dataPrefixes?.length) {
    const weight = (1 / input.dataPrefixes.length).toFixed(4);
    o.push(`training.model.data.data_prefix=[${input.dataPrefixes.map((p) => `${weight},${p}`).join(',')}]`);
  }
  if (cluster.partition) o.push(`cluster.partition=${cluster.partition}`);
  if (cluster.account) o.push(`cluster.account=${cluster.account}`);
  o.push(`cluster.gpus_per_node=${cluster.gpu_request === 'none' ? 'null' : cluster.gpus_per_node}`);
  return o;
}

export const nemo1Renderer: EngineRenderer = {
  engine: 'nemo1',
  describe: 'NeMo Launcher (NeMo 1, Hydra overrides), pyxis container',
  render(input, cluster) {
    const resultsDir = `${cluster.stage_path}/results/$GSW_VERSION/${input.dtype}/${input.model.size}/${input.numGpus}`;
    const lines = [
      '#!/bin/bash',
      `# ${input.runName}: NeMo Launcher ${input.task} of ${input.model.id}, ${input.dtype}, ${input.numGpus} GPUs`,
      'set -euo pipefail',
      ...jobEnvironment(cluster, {
        STAGE_PATH: cluster.stage_path,
        GSW_VERSION: cluster.env.GSW_VERSION ?? '24.11',
        DTYPE: input.dtype,
        MODEL_SIZE: input.model.size,
        JOB_TOTAL_GPUS: input.numGpus,
      }),
      `RESULTS_DIR=${sq(cluster.stage_path)}/results/"$GSW_VERSION"/${sq(input.dtype)}/${sq(input.model.size)}/${input.numGpus}`,
      'mkdir -p "$RESULTS_DIR"',
      `${sq(cluster.python)} "$STAGE_PATH/launcher_scripts/main.py" \\`,
      '  launcher_scripts_path="$STAGE_PATH/launcher_scripts" \\',
      '  base_results_dir="$RESULTS_DIR" \\',
      ...(cluster.container.image ? [`  container=${sq(cluster.container.image)} \\`] : []),
      ...nemo1Overrides(input, cluster).map((o) => `  ${sq(o)} \\`),
      `  training.run.name=${sq(input.runName)}`,
      '',
    ];
    return {
      engine: 'nemo1',
      files: [{ path: 'launch.sh', content: lines.join('\n'), executable: true }],
      submit: [['bash', 'launch.sh']],
      notes: [
        ...(containerFlags(cluster).length ? [] : ['no container image in the cluster profile: the launcher will use its default']),
        `results will be in ${resultsDir}`,
      ],
    };
  },
};
