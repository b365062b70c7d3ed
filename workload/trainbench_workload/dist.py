"""Rank/world discovery (torchrun-style env or Slurm) and process-group setup."""
import datetime
import os

from . import ConfigError


def _int_env(name):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError("environment variable %s must be an integer, got %r" % (name, raw))


def discover():
    """Returns dict(rank, world_size, local_rank, local_world_size, master_addr, master_port, source)."""
    if os.environ.get("RANK") is not None or os.environ.get("WORLD_SIZE") is not None:
        rank, world = _int_env("RANK") or 0, _int_env("WORLD_SIZE") or 1
        local = _int_env("LOCAL_RANK")
        local = rank if local is None else local
        local_world = _int_env("LOCAL_WORLD_SIZE") or world
        source = "env"
    elif os.environ.get("SLURM_PROCID") is not None and os.environ.get("SLURM_NTASKS") is not None:
        rank, world = _int_env("SLURM_PROCID"), _int_env("SLURM_NTASKS")
        local = _int_env("SLURM_LOCALID") or 0
        nnodes = _int_env("SLURM_NNODES") or 1
        local_world = max(1, world // nnodes)
        source = "slurm"
        if "MASTER_ADDR" not in os.environ:
            # Slurm does not export a rendezvous address; the launch node is rank 0's node for srun in a batch script.
            default = os.environ.get("SLURM_LAUNCH_NODE_IPADDR") or ("127.0.0.1" if nnodes == 1 else None)
            if default:
                os.environ["MASTER_ADDR"] = default
    else:
        rank, world, local, local_world, source = 0, 1, 0, 1, "single"
    if world < 1 or not 0 <= rank < world:
        raise ConfigError("rank %d is outside world size %d (check RANK/WORLD_SIZE or SLURM_PROCID/SLURM_NTASKS)" % (rank, world))
    if world > 1:
        for name in ("MASTER_ADDR", "MASTER_PORT"):
            if not os.environ.get(name):
                raise ConfigError("environment variable %s must be set for world size %d" % (name, world))
    return {"rank": rank, "world_size": world, "local_rank": local, "local_world_size": local_world,
            "master_addr": os.environ.get("MASTER_ADDR"), "master_port": os.environ.get("MASTER_PORT"),
            "source": source}


def pick_device(want, local_rank):
    import torch
    if want == "cuda" and not torch.cuda.is_available():
        raise ConfigError("config key 'device' is 'cuda' but torch %s sees no CUDA device" % torch.__version__)
    if want == "cuda" or (want == "auto" and torch.cuda.is_available()):
        torch.cuda.set_device(local_rank % torch.cuda.device_count())
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def init(info, device, timeout_s):
    import torch.distributed as dist
    if info["world_size"] == 1:
        return
    os.environ["RANK"], os.environ["WORLD_SIZE"] = str(info["rank"]), str(info["world_size"])
    backend = "nccl" if device.type == "cuda" else "gloo"
    kwargs = {"backend": backend, "init_method": "env://", "rank": info["rank"],
              "world_size": info["world_size"], "timeout": datetime.timedelta(seconds=timeout_s)}
    if device.type == "cuda":
        try:
            # torch>=2.3 binds the NCCL communicator to this device eagerly (avoids a guessed-device warning).
            dist.init_process_group(device_id=device, **kwargs)
            return
        except TypeError:
            pass
    dist.init_process_group(**kwargs)


def barrier(info, device):
    import torch.distributed as dist
    if info["world_size"] > 1:
        if device.type == "cuda":
            dist.barrier(device_ids=[device.index])
        else:
            dist.barrier()
