// What to do next, per failure kind: one or two sentences, concrete.
import type { FailureKind } from './types.ts';

export const ADVICE: Record<FailureKind, string> = {
  cuda_oom: 'Lower the micro-batch size, enable activation recompute, raise TP/PP (or ZeRO/FSDP sharding), or shorten the sequence; set PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True if reserved-but-unallocated memory is large.',
  cpu_oom: 'Host RAM ran out: request more memory (--mem / --mem-per-gpu), use fewer dataloader workers, memory-map the dataset, or load checkpoints shard by shard.',
  nccl_timeout: 'A collective waited past its timeout: look for the rank that stopped first (its own error, a slow or dead node), check the network (NCCL_DEBUG=INFO, NCCL_IB_*), and raise the timeout only if a long step (e.g. checkpoint save) is expected.',
  nccl_error: 'Run with NCCL_DEBUG=INFO to see the failing transport; check NCCL_SOCKET_IFNAME / IB settings, that all nodes see the same GPUs and that the NCCL versions match.',
  network: 'Ranks lost each other on the network (gloo/TCP): check that every node reaches every other on the interface the ranks use (GLOO_SOCKET_IFNAME / NCCL_SOCKET_IFNAME), firewalls and routes between nodes, and the silent node itself; resubmit excluding it if it is broken.',
  hang: 'No progress: collect stacks (py-spy dump --pid, or NCCL_DEBUG=INFO + TORCH_NCCL_ASYNC_ERROR_HANDLING), check for a rank blocked on I/O or a dead node, and set a collective timeout so hangs fail fast.',
  slurm_time_limit: 'The job reached its Slurm time limit: raise --time, or save checkpoints more often and resubmit with resume (requeue).',
  cancelled: 'The job was cancelled or preempted (scancel, preemption, or a signal): resubmit; use --requeue and checkpoints if preemption is expected.',
  node_fail: 'A node failed: resubmit excluding it (--exclude=NODE), resume from the last checkpoint, and report the node to the admins.',
  python_exception: 'Fix the exception shown (type, message and the last frame are quoted); when torch elastic reports it, the Root Cause block names the rank whose log has the real traceback.',
  nan_loss: 'The loss diverged: lower the learning rate or lengthen warm-up, check fp16 loss scaling (prefer bf16), enable gradient clipping, and look for bad samples at the first NaN step.',
  loss_spike: 'A loss spike: inspect the data around that step, lower the learning rate or tighten gradient clipping; resume from a checkpoint before the spike if it does not recover.',
  missing_dataset: 'The dataset file is missing: check the data path and that both .bin and .idx exist on every node (trainbench data check).',
  missing_tokenizer: 'The tokenizer could not be found: check the tokenizer path or model name and that the files were downloaded on every node.',
  hf_auth: 'Hugging Face refused access: export HF_TOKEN with a valid token, and request access to the gated repository on its model page.',
  unknown: 'No known failure signature in the log tail: read the last lines of every rank, and the Slurm state (sacct -j ID --format=State,ExitCode).',
};
