// nnScaler's compile-then-run, as two dependent Slurm jobs: the compile stage traces the model and writes the plan
// for `plan_ngpus`, the run stage trains on `runtime_ngpus` with torchrun; run starts only if compile succeeded.
import { containerFlags, jobEnvironment, nodesFor, sbatchHeader } from './slurm-script.ts';
import { sq, sqArgs } from '../shell.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';

export function nnscalerArgs(input: LaunchInput, datasetPath: string): string[] {
  return [
    '--model_id', input.model.hfId ?? input.model.id,
    '--dataset_path', datasetPath,
    `--plan_ngpus=${input.numGpus}`,
    `--runtime_ngpus=${input.numGpus}`,
    '--name', input.runName,
  ];
}

export const nnscalerRenderer: EngineRenderer = {
  engine: 'nnscaler',
  describe: 'nnScaler compile stage then run stage (dependent jobs)',
  render(input, cluster) {
    const gpusPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, gpusPerNode);
    const workdir = `${cluster.stage_path}/nnscaler/examples/llama3_8B_128K`;
    const dataset = `${cluster.stage_path}/bookcorpus_llama3_${Math.round(input.seqLen / 1024)}K`;
    const args = nnscalerArgs(input, dataset);
    const env = jobEnvironment(cluster, { STAGE_PATH: cluster.stage_path });
    const container = containerFlags(cluster).map(sq).join(' ');
    const compile = [
      ...sbatchHeader(cluster, { jobName: `${input.runName}-compile`, nodes: 1, tasksPerNode: 1, gpusPerNode }),
      ...env,
      `cd ${sq(workdir)}`,
      `srun ${container} ${sq(cluster.python)} train.py --run_mode compile ${sqArgs(args)} 2>&1 | tee ${sq(`${input.runDir}/compile.log`)}`,
      '',
    ];
    const run = [
      ...sbatchHeader(cluster, { jobName: input.runName, nodes, tasksPerNode: 1, gpusPerNode }),
      ...env,
      `cd ${sq(workdir)}`,
      'MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | awk "NR==1")',
      'export MASTER_ADDR',
      `srun ${container} bash -c ${sq(`torchrun --nnodes="$SLURM_JOB_NUM_NODES" --node_rank="$SLURM_PROCID" --nproc_per_node=${gpusPerNode} --master_addr="$MASTER_ADDR" --master_port=29500 train.py ${sqArgs(args)}`)} 2>&1 | tee ${sq(`${input.runDir}/run.log`)}`,
      '',
    ];
    return {
      engine: 'nnscaler',
      files: [
        { path: 'compile.sbatch', content: compile.join('\n'), executable: true },
        { path: 'run.sbatch', content: run.join('\n'), executable: true },
      ],
      // `{job:0}` is replaced by the job id the first submission printed.
      submit: [
        ['sbatch', '--parsable', 'compile.sbatch'],
        ['sbatch', '--parsable', '--dependency=afterok:{job:0}', 'run.sbatch'],
      ],
      notes: [
        `prepare the packed dataset first: python bookcorpus.py --data_path_or_name bookcorpus/bookcorpus --tokenizer_path_or_name ${input.model.hfId ?? input.model.id} --save_path ${dataset} --sequence_length ${input.seqLen}`,
        'checkpoints are sharded per rank in ./checkpoints; merge them with `trainbench ckpt merge` (trainbench workload) or nnScaler ckpt_merger.py',
      ],
    };
  },
};
