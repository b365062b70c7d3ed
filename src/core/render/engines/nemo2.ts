// NeMo 2 (recipe factory + overrides): the Llama 3 8B SFT/LoRA seed. One sbatch job, one srun task per GPU inside
// the pyxis container; Lightning picks ranks up from Slurm. The seed's knobs (DTYPE, MODEL_SIZE, FT_TYPE,
// JOB_TOTAL_GPUS, RUN_CONF_GPUS_PER_NODE) are exported, and logs land where the seed says:
// $STAGE_PATH/logs/experiments/<exp>/<exp>_<jobid>/<exp>/log-<account>.<exp>_<jobid>_0.out.
import { containerFlags, jobEnvironment, nodesFor, sbatchHeader } from './slurm-script.ts';
import { sq } from '../shell.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';

export const nemo2ExperimentName = (input: LaunchInput): string =>
  `${input.task === 'lora' ? 'lora' : input.task === 'sft' ? 'sft' : 'pretrain'}_nemo_llama3_${input.model.size}_${input.dtype}_${input.numGpus}`;

export function nemo2Overrides(input: LaunchInput, nodes: number, gpusPerNode: number): string[] {
  return [
    `trainer.num_nodes=${nodes}`,
    `trainer.devices=${gpusPerNode}`,
    `trainer.max_steps=${input.steps}`,
    `trainer.val_check_interval=${input.steps}`,
    'trainer.log_every_n_steps=1',
    `trainer.strategy.tensor_model_parallel_size=${input.tp}`,
    `trainer.strategy.pipeline_model_parallel_size=${input.pp}`,
    `trainer.strategy.context_parallel_size=${input.cp}`,
    `trainer.strategy.virtual_pipeline_model_parallel_size=${input.vp ?? 'None'}`,
    `trainer.plugins=${input.dtype === 'fp8' ? 'bf16_with_fp8_mixed' : 'bf16_mixed'}`,
    `data.seq_length=${input.seqLen}`,
    `data.micro_batch_size=${input.mbs}`,
    `data.global_batch_size=${input.gbs}`,
    `peft=${input.task === 'lora' ? 'lora' : 'none'}`,
  ];
}

export const nemo2Renderer: EngineRenderer = {
  engine: 'nemo2',
  describe: 'NeMo 2 recipe factory with overrides, srun in a pyxis container',
  render(input, cluster) {
    const gpusPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, gpusPerNode);
    const exp = nemo2ExperimentName(input);
    const verb = input.task === 'pretrain' ? 'pretrain' : 'finetune';
    const factory = `llama3_${input.model.size}`;
    // Each srun task runs the `nemo` CLI itself (no executor: nemo_run runs the task in-process) and Lightning's
    // SLURMEnvironment takes the ranks from SLURM_PROCID/SLURM_LOCALID/SLURM_NODEID. launcherOverride swaps the
    // `nemo` program only (the multi-node test runs this script with a stand-in that checks that arithmetic).
    const launcher = input.launcherOverride?.length ? input.launcherOverride.map(sq).join(' ') : 'nemo';
    const lines = [
      ...sbatchHeader(cluster, { jobName: exp, nodes, tasksPerNode: gpusPerNode, gpusPerNode }),
      ...jobEnvironment(cluster, {
        STAGE_PATH: cluster.stage_path,
        HF_HOME: `${cluster.stage_path}/HF_ckpt`,
        DTYPE: input.dtype,
        MODEL_SIZE: input.model.size,
        FT_TYPE: input.task,
        JOB_TOTAL_GPUS: input.numGpus,
        RUN_CONF_GPUS_PER_NODE: gpusPerNode,
      }),
      `EXP_DIR="$STAGE_PATH/logs/experiments/${exp}/${exp}_\${SLURM_JOB_ID}/${exp}"`,
      'mkdir -p "$EXP_DIR"',
      `srun ${containerFlags(cluster).map(sq).join(' ')} --output="$EXP_DIR/log-\${SLURM_JOB_ACCOUNT:-local}.${exp}_\${SLURM_JOB_ID}_%t.out" \\`,
      `  ${launcher} llm ${verb} --factory ${sq(factory)} -y \\`,
      ...nemo2Overrides(input, nodes, gpusPerNode).map((o) => `  ${sq(o)} \\`),
      '  log.log_dir="$EXP_DIR"',
      '',
    ];
    return {
      engine: 'nemo2',
      files: [{ path: 'sbatch.sh', content: lines.join('\n'), executable: true }],
      submit: [['sbatch', '--parsable', 'sbatch.sh']],
      notes: [
        `weights for ${input.model.hfId ?? input.model.id} are downloaded into $STAGE_PATH/HF_ckpt on the first run (about 20 GB; needs HF_TOKEN)`,
      ],
    };
  },
};
