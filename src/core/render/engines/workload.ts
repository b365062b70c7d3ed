// trainbench's own reference workload: one srun task per rank, each exporting the torch.distributed variables from
// Slurm's, rendezvous at the allocation's first node.
import { jobEnvironment, masterAddressLines, nodesFor, sbatchHeader, srunWithTorchEnv } from './slurm-script.ts';
import type { EngineRenderer } from './types.ts';

export const workloadRenderer: EngineRenderer = {
  engine: 'workload',
  describe: 'trainbench reference workload (PyTorch DDP) under srun',
  render(input, cluster) {
    const ranksPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, ranksPerNode);
    const command = input.workloadCommand ?? [cluster.python, 'workload/train.py', '--config', `${input.runDir}/run.json`];
    const lines = [
      ...sbatchHeader(cluster, {
        jobName: input.runName,
        nodes,
        tasksPerNode: ranksPerNode,
        gpusPerNode: cluster.gpu_request === 'none' ? 0 : ranksPerNode,
      }),
      ...jobEnvironment(cluster),
      ...masterAddressLines(29500),
      srunWithTorchEnv([], command),
      '',
    ];
    return {
      engine: 'workload',
      files: [{ path: 'sbatch.sh', content: lines.join('\n'), executable: true }],
      submit: [['sbatch', '--parsable', 'sbatch.sh']],
      notes: [],
    };
  },
};
