// Launch inputs shaped like the seeds' runs, and a hostile one, shared by the renderer tests.
import type { ClusterProfile } from '../../cluster/profile.ts';
import { clusterProfileSchema } from '../../cluster/profile.ts';
import type { LaunchInput } from './types.ts';

export const dgxCloud: ClusterProfile = clusterProfileSchema.parse({
  schema_version: 1,
  name: 'dgx-cloud',
  partition: 'batch',
  account: 'account_name',
  gpus_per_node: 8,
  gpu_request: 'gpus-per-node',
  time_limit: '01:00:00',
  container: { runtime: 'pyxis', image: '/lustre/myproject/nemo/nvidia+nemo+24.09.sqsh' },
  env: { GSW_VERSION: '24.09' },
  pass_env: ['HF_TOKEN'],
  stage_path: '/lustre/myproject/nemo',
});

export const baskerville: ClusterProfile = clusterProfileSchema.parse({
  schema_version: 1,
  name: 'baskerville',
  account: 'PROJECT_ID',
  qos: 'turing',
  gpus_per_node: 4,
  gpu_request: 'gpus-per-node',
  mem: '491520',
  time_limit: '3:00:00',
  modules: ['baskerville', 'bask-apps/live', 'PyTorch/2.1.2-foss-2022b-CUDA-11.8.0'],
  stage_path: '/bask/projects/PROJECT',
});

const llama70b = { id: 'llama3.1-70b', size: '70b', family: 'llama', hfId: 'meta-llama/Meta-Llama-3.1-70B', layers: 80, hidden: 8192, ffn: 28672, heads: 64, kvHeads: 8, vocab: 128256 } as const;

export const seedLike: Record<string, LaunchInput> = {
  gpt175b: {
    runName: 'gpt3-175b-fp8-128gpu', task: 'pretrain', dtype: 'fp8', seqLen: 2048, gbs: 256, mbs: 1, tp: 4, pp: 8, cp: 1, ep: 1, vp: 12, numGpus: 128, steps: 50,
    runDir: '/lustre/myproject/nemo/runs/gpt3-175b-fp8-128gpu',
    model: { id: 'gpt3-175b', size: '175b', family: 'gpt', layers: 96, hidden: 12288, ffn: 49152, heads: 96, kvHeads: 96, vocab: 51200 },
    dataPrefixes: ['/lustre/myproject/nemo/gpt3-dataset/my-gpt3_00_text_document', '/lustre/myproject/nemo/gpt3-dataset/my-gpt3_01_text_document'],
  },
  llama70b: {
    runName: 'llama3.1-70b-bf16-64gpu', task: 'pretrain', dtype: 'bf16', seqLen: 8192, gbs: 128, mbs: 1, tp: 4, pp: 4, cp: 2, ep: 1, vp: 5, numGpus: 64, steps: 50,
    runDir: '/lustre/myproject/nemo/runs/llama3.1-70b-bf16-64gpu', model: llama70b,
  },
  llama8bLora: {
    runName: 'lora_nemo_llama3_8b_fp8_16', task: 'lora', dtype: 'fp8', seqLen: 4096, gbs: 64, mbs: 1, tp: 1, pp: 1, cp: 1, ep: 1, vp: null, numGpus: 16, steps: 100,
    runDir: '/lustre/myproject/nemo/runs/lora_nemo_llama3_8b_fp8_16',
    model: { id: 'llama3-8b', size: '8b', family: 'llama', hfId: 'meta-llama/Meta-Llama-3-8B', layers: 32, hidden: 4096, ffn: 14336, heads: 32, kvHeads: 8, vocab: 128256 },
  },
  baskerville70b: {
    runName: 'llama3-70b-ft', task: 'lora', dtype: 'bf16', seqLen: 1024, gbs: 128, mbs: 1, tp: 1, pp: 1, cp: 1, ep: 1, vp: null, numGpus: 16, steps: 0,
    runDir: '/bask/projects/PROJECT/llama-factory/runs/llama3-70b-ft', model: { ...llama70b, id: 'llama3-70b', hfId: 'meta-llama/Meta-Llama-3-70B-Instruct' }, loraRank: 8,
  },
};

/** Every string a user controls, set to something a shell would execute if it were not quoted. */
export function hostile(base: LaunchInput, sentinel: string): LaunchInput {
  const evil = `x $(touch ${sentinel}) \`touch ${sentinel}\`; touch ${sentinel} '"\n touch ${sentinel}`;
  return {
    ...base,
    runDir: `/tmp/run dir/${evil}`,
    model: { ...base.model, hfId: evil },
    dataPrefixes: [`/data/${evil}`],
    workloadCommand: ['python3', 'workload/train.py', '--config', evil],
  };
}
