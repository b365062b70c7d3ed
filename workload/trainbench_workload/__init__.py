"""trainbench reference training workload (Llama-architecture decoder, DDP, checkpoints, fault injection).

Runs on torch 1.13 (CPU, gloo) and torch 2.x (CUDA, NCCL). Entry point: ``workload/train.py``.
"""

# Exit codes shared with the launcher (documented in workload/README.md).
EXIT_ERROR = 1
EXIT_CONFIG = 3
EXIT_DATA = 4
EXIT_SIGTERM = 143


class WorkloadError(Exception):
    """An expected failure with its own exit code; printed without a traceback."""

    exit_code = EXIT_ERROR


class ConfigError(WorkloadError):
    exit_code = EXIT_CONFIG


class DataError(WorkloadError):
    exit_code = EXIT_DATA
