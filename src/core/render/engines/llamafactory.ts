// LLaMA-Factory + accelerate FSDP across Slurm nodes, as the Baskerville seed runs Llama 3 70B: one task per node,
// the primary node's address from `scontrol show hostnames`, machine rank from SLURM_PROCID, process count from
// nodes x GPUs per node, the venv created or activated in the job, dmon/vmstat sampled beside the training.
import { stringify } from 'yaml';
import { jobEnvironment, nodesFor, sbatchHeader } from './slurm-script.ts';
import { sq } from '../shell.ts';
import type { EngineRenderer, LaunchInput } from './types.ts';

export function llamafactoryTrainConfig(input: LaunchInput, outputDir: string): Record<string, unknown> {
  const gradAccum = input.gbs / (input.mbs * input.numGpus);
  return {
    model_name_or_path: input.model.hfId ?? input.model.id,
    stage: input.task === 'pretrain' ? 'pt' : 'sft',
    do_train: true,
    finetuning_type: input.task === 'lora' ? 'lora' : 'full',
    ...(input.task === 'lora' ? { lora_rank: input.loraRank ?? 8, lora_target: 'all' } : {}),
    dataset: 'identity,alpaca_en_demo',
    template: 'llama3',
    cutoff_len: input.seqLen,
    overwrite_cache: true,
    output_dir: outputDir,
    logging_steps: 1,
    save_steps: 500,
    plot_loss: true,
    per_device_train_batch_size: input.mbs,
    gradient_accumulation_steps: gradAccum,
    learning_rate: 1.0e-4,
    num_train_epochs: 3.0,
    ...(input.steps > 0 ? { max_steps: input.steps } : {}),
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.1,
    bf16: input.dtype !== 'fp32',
    ddp_timeout: 180000000,
  };
}

export function accelerateFsdpConfig(nodes: number, processes: number, dtype: LaunchInput['dtype']): Record<string, unknown> {
  return {
    compute_environment: 'LOCAL_MACHINE',
    debug: false,
    distributed_type: 'FSDP',
    downcast_bf16: 'no',
    enable_cpu_affinity: false,
    fsdp_config: {
      fsdp_activation_checkpointing: false,
      fsdp_auto_wrap_policy: 'TRANSFORMER_BASED_WRAP',
      fsdp_backward_prefetch: 'BACKWARD_PRE',
      fsdp_cpu_ram_efficient_loading: true,
      fsdp_forward_prefetch: false,
      fsdp_offload_params: false,
      fsdp_sharding_strategy: 'FULL_SHARD',
      fsdp_state_dict_type: 'SHARDED_STATE_DICT',
      fsdp_sync_module_states: true,
      fsdp_use_orig_params: true,
    },
    main_training_function: 'main',
    mixed_precision: dtype === 'fp32' ? 'no' : 'bf16',
    num_machines: nodes,
    num_processes: processes,
    rdzv_backend: 'static',
    same_network: true,
    tpu_env: [],
    tpu_use_cluster: false,
    tpu_use_sudo: false,
    use_cpu: false,
  };
}

export const llamafactoryRenderer: EngineRenderer = {
  engine: 'llamafactory',
  describe: 'LLaMA-Factory with accelerate FSDP, one task per node',
  render(input, cluster) {
    const gpusPerNode = Math.min(cluster.gpus_per_node || input.numGpus, input.numGpus);
    const nodes = nodesFor(input.numGpus, gpusPerNode);
    const repo = `${cluster.stage_path}/llama-factory/LLaMA-Factory`;
    const trainYaml = `${input.runDir}/llamafactory-train.yaml`;
    const accelYaml = `${input.runDir}/accelerate-fsdp.yaml`;
    const launcher = input.launcherOverride?.length ? input.launcherOverride.map(sq).join(' ') : 'accelerate launch';
    const launch = [
      launcher,
      '--config_file "$ACCELERATE_CONFIG"',
      '--main_process_ip "$PRIMARY_ADDR"',
      '--main_process_port "$PRIMARY_PORT"',
      '--machine_rank "$SLURM_PROCID"',
      '--num_processes "$NUM_PROCESSES"',
      '--num_machines "$SLURM_JOB_NUM_NODES"',
      'src/train.py "$TRAIN_CONFIG"',
    ].join(' ');
    const lines = [
      ...sbatchHeader(cluster, { jobName: input.runName, nodes, tasksPerNode: 1, gpusPerNode }),
      ...jobEnvironment(cluster, { ACCELERATE_CONFIG: accelYaml, TRAIN_CONFIG: trainYaml, VENV_PATH: './venv' }),
      `cd ${sq(repo)}`,
      'if [ -d "$VENV_PATH" ]; then',
      '  . "$VENV_PATH/bin/activate"',
      'else',
      `  ${sq(cluster.python)} -m venv "$VENV_PATH"`,
      '  . "$VENV_PATH/bin/activate"',
      '  pip install --upgrade pip',
      '  pip install -r requirements.txt',
      "  pip install -e '.[torch,metrics]'",
      'fi',
      'export PRIMARY_PORT=12340',
      'PRIMARY_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | awk "NR==1")',
      'export PRIMARY_ADDR',
      `export NUM_PROCESSES=$((SLURM_JOB_NUM_NODES * ${gpusPerNode}))`,
      `TELEMETRY_DIR=${sq(`${input.runDir}/telemetry`)}`,
      'mkdir -p "$TELEMETRY_DIR"',
      'if command -v nvidia-smi >/dev/null; then stdbuf -o0 nvidia-smi dmon -o DT -s pucvmet -d 1 > "$TELEMETRY_DIR/$(hostname -s)-dmon.txt" & DMON_PID=$!; fi',
      'stdbuf -o0 vmstat -t 1 > "$TELEMETRY_DIR/$(hostname -s)-vmstat.txt" & VMSTAT_PID=$!',
      'trap \'kill ${DMON_PID:-} ${VMSTAT_PID:-} 2>/dev/null || true\' EXIT',
      // Single quotes: each node's bash expands SLURM_PROCID itself, as the seed stresses.
      `srun bash -c ${sq(launch)}`,
      '',
    ];
    return {
      engine: 'llamafactory',
      files: [
        { path: 'llamafactory-train.yaml', content: stringify(llamafactoryTrainConfig(input, `${input.runDir}/output`)) },
        { path: 'accelerate-fsdp.yaml', content: stringify(accelerateFsdpConfig(nodes, nodes * gpusPerNode, input.dtype)) },
        { path: 'sbatch.sh', content: lines.join('\n'), executable: true },
      ],
      submit: [['sbatch', '--parsable', 'sbatch.sh']],
      notes: [
        `clone LLaMA-Factory first: git clone --depth 1 https://github.com/hiyouga/LLaMA-Factory.git ${repo}`,
        'log in to Hugging Face once (huggingface-cli login) or export HF_TOKEN: the Llama 3 weights are gated',
      ],
    };
  },
};
