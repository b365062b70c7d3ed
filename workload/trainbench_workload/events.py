"""The two output contracts the trainbench parsers read: the NeMo-2-style step line and TRAINBENCH_EVENT JSON lines."""
import json
import os
import resource
import sys

PREFIX = "TRAINBENCH_EVENT "


def emit(event):
    sys.stdout.write(PREFIX + json.dumps(event, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def step_line(step, steps, lr, gbs, peak, allocated, loss, step_time):
    return ("Training epoch 0, iteration %d/%d | lr: %s | global_batch_size: %d | global_step: %d | "
            "peak_memory_usage: %d | memory_allocated: %d | reduced_train_loss: %.4f | "
            "train_step_timing in s: %.4f | consumed_samples: %d"
            % (step, steps - 1, format(lr, ".4g"), gbs, step, peak, allocated, loss, step_time, (step + 1) * gbs))


def print_line(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def memory(device):
    """(peak, current) bytes: CUDA allocator on GPU; process RSS on CPU (ru_maxrss is KiB on Linux)."""
    if device.type == "cuda":
        import torch
        return torch.cuda.max_memory_allocated(device), torch.cuda.memory_allocated(device)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        with open("/proc/self/statm") as f:
            current = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        current = peak
    return peak, current
