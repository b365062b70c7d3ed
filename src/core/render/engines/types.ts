// One renderer per engine: recipe + cluster profile -> the files and commands of a launch, as pure text.
import type { ClusterProfile } from '../../cluster/profile.ts';

export type EngineName = 'nemo1' | 'nemo2' | 'megatron' | 'llamafactory' | 'nnscaler' | 'torchtitan' | 'workload';

export interface LaunchModel {
  id: string;
  /** The seeds' MODEL_SIZE value: 8b, 70b, 175b. */
  size: string;
  family: 'gpt' | 'llama';
  /** Hugging Face repository id, where the engine downloads weights or a tokenizer. */
  hfId?: string;
  layers: number;
  hidden: number;
  ffn: number;
  heads: number;
  kvHeads: number;
  vocab: number;
}

export interface LaunchInput {
  runName: string;
  task: 'pretrain' | 'sft' | 'lora';
  model: LaunchModel;
  dtype: 'bf16' | 'fp8' | 'fp32';
  seqLen: number;
  gbs: number;
  mbs: number;
  tp: number;
  pp: number;
  cp: number;
  ep: number;
  vp: number | null;
  numGpus: number;
  steps: number;
  /** Run directory (absolute), where logs and rendered files go. */
  runDir: string;
  /** Megatron indexed dataset prefixes (from `data prepare`), for pretraining engines. */
  dataPrefixes?: string[];
  loraRank?: number;
  /** nnScaler: GPUs of one automatically partitioned model replica (plan_ngpus); replaces tp/pp/cp. */
  autoPlanGpus?: number;
  /** Reference workload only: the command each rank runs. */
  workloadCommand?: string[];
  /**
   * llamafactory, torchtitan, nemo2 and megatron: the argv that runs in place of the engine's launcher program
   * (`accelerate launch`, `torchrun`, `nemo`, `python3 -u`). Every flag the script passes the launcher is kept, so a
   * stand-in sees exactly the rendezvous arguments the real launcher would; the tests use it to run the rendered
   * scripts on a cluster without the engine.
   */
  launcherOverride?: string[];
}

export interface RenderedFile {
  /** Path relative to the run directory. */
  path: string;
  content: string;
  executable?: boolean;
}

export interface RenderedLaunch {
  engine: EngineName;
  files: RenderedFile[];
  /** The submission, as argv lists run from the run directory. */
  submit: string[][];
  /** Steps trainbench cannot do here, as exact commands for the user. */
  notes: string[];
}

export interface EngineRenderer {
  engine: EngineName;
  describe: string;
  render(input: LaunchInput, cluster: ClusterProfile): RenderedLaunch;
}
