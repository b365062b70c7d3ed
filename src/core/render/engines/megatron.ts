// Megatron-LM `pretrain_gpt.py`: the same parallelism as the NeMo seeds, GQA/SwiGLU/RoPE for Llama shapes, fp8 via
// Transformer Engine, data from `trainbench data prepare` (.bin/.idx prefixes). One srun task per GPU; ranks come
// from Slurm's variables, rendezvous at the allocation's first node.
import { containerFlags, jobEnvironment, masterAddressLines, nodesFor, sbatchHeader, srunWithTorchEnv } from './slurm-script.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';

export function megatronArgs(input: LaunchInput, stagePath: string): string[] {
  const m = input.model;
  const args = [
    '--tensor-model-parallel-size', String(input.tp),
    '--pipeline-model-parallel-size', String(input.pp),
    '--context-parallel-size', String(input.cp),
    '--micro-batch-size', String(input.mbs),
    '--global-batch-size', String(input.gbs),
    '--seq-length', String(input.seqLen),
    '--max-position-embeddings', String(input.seqLen),
    '--num-layers', String(m.layers),
    '--hidden-size', String(m.hidden),
    '--ffn-hidden-size', String(m.ffn),
    '--num-attention-heads', String(m.heads),
    '--train-iters', String(input.steps),
    '--log-interval', '1',
    '--log-throughput',
    '--eval-iters', '0',
    '--lr', '1.0e-4',
    '--min-lr', '1.0e-5',
    '--lr-decay-style', 'cosine',
    '--bf16',
    '--use-distributed-optimizer',
    '--overlap-grad-reduce',
    '--split', '99,1,0',
  ];
  if (input.vp && input.vp > 1) args.push('--num-layers-per-virtual-pipeline-stage', String(m.layers / (input.pp * input.vp)));
  if (input.tp > 1) args.push('--sequence-parallel');
  if (input.dtype === 'fp8') args.push('--fp8-format', 'hybrid', '--fp8-amax-history-len', '1024', '--fp8-amax-compute-algo', 'max');
  if (m.family === 'llama') {
    args.push('--swiglu', '--normalization', 'RMSNorm', '--position-embedding-type', 'rope', '--untie-embeddings-and-output-weights', '--disable-bias-linear');
    if (m.kvHeads !== m.heads) args.push('--group-query-attention', '--num-query-groups', String(m.kvHeads));
    args.push('--tokenizer-type', 'HuggingFaceTokenizer', '--tokenizer-model', m.hfId ?? 'meta-llama/Meta-Llama-3-8B');
  } else {
    args.push('--tokenizer-type', 'GPT2BPETokenizer', '--vocab-file', `${stagePath}/gpt2-vocab.json`, '--merge-file', `${stagePath}/gpt2-merges.txt`);
  }
  if (input.dataPrefixes?.length) args.push('--data-path', ...input.dataPrefixes.flatMap((p) => ['1', p]));
  else args.push('--mock-data');
  return args;
}

export const megatronRenderer: EngineRenderer = {
  engine: 'megatron',
  describe: 'Megatron-LM pretrain_gpt.py under srun',
  render(input, cluster) {
    const gpusPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, gpusPerNode);
    // launcherOverride replaces the interpreter (`python3 -u`); the script path and its flags stay the engine's.
    const python = input.launcherOverride?.length ? input.launcherOverride : ['python3', '-u'];
    const argv = [...python, '/opt/megatron-lm/pretrain_gpt.py', ...megatronArgs(input, cluster.stage_path)];
    const srun = srunWithTorchEnv([...containerFlags(cluster), `--output=${input.runDir}/log-%j_%t.out`], argv);
    const lines = [
      ...sbatchHeader(cluster, { jobName: input.runName, nodes, tasksPerNode: gpusPerNode, gpusPerNode }),
      ...jobEnvironment(cluster, { STAGE_PATH: cluster.stage_path, CUDA_DEVICE_MAX_CONNECTIONS: 1 }),
      ...masterAddressLines(6000),
      srun,
      '',
    ];
    return {
      engine: 'megatron',
      files: [{ path: 'sbatch.sh', content: lines.join('\n'), executable: true }],
      submit: [['sbatch', '--parsable', 'sbatch.sh']],
      notes: input.dataPrefixes?.length ? [] : ['no dataset given: Megatron runs on --mock-data (run `trainbench data prepare` for real data)'],
    };
  },
};
