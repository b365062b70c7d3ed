"""Sharded checkpoints: <dir>/step_000010/rank_00000.pt per rank, then manifest.json written last by rank 0.

A step directory counts only when its manifest exists, parses, and every rank file it lists is present, so a
checkpoint interrupted half-way is never resumed from. "step" = optimizer steps completed (= next step to run).
"""
import json
import os
import time

import torch

MANIFEST = "manifest.json"


def step_dir(root, step):
    return os.path.join(root, "step_%06d" % step)


def rank_file(rank):
    return "rank_%05d.pt" % rank


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path, write):
    tmp = path + ".tmp.%d" % os.getpid()
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(os.path.dirname(path))


def save_shard(root, step, rank, state):
    d = step_dir(root, step)
    os.makedirs(d, exist_ok=True)
    _atomic_write(os.path.join(d, rank_file(rank)), lambda f: torch.save(state, f))
    return d


def write_manifest(root, step, world_size, extra):
    d = step_dir(root, step)
    manifest = {"step": step, "world_size": world_size, "files": [rank_file(r) for r in range(world_size)],
                "time": time.time()}
    manifest.update(extra)
    _atomic_write(os.path.join(d, MANIFEST), lambda f: f.write(json.dumps(manifest, indent=1).encode()))
    return d


def _complete(d):
    try:
        with open(os.path.join(d, MANIFEST)) as f:
            manifest = json.load(f)
        files = manifest["files"]
        if not files or not all(os.path.isfile(os.path.join(d, name)) for name in files):
            return None
        int(manifest["step"]), int(manifest["world_size"])
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_latest(root):
    """(step, dir, manifest) of the newest complete checkpoint under root, or None."""
    if not root or not os.path.isdir(root):
        return None
    steps = []
    for name in os.listdir(root):
        if name.startswith("step_") and name[5:].isdigit():
            steps.append(int(name[5:]))
    for step in sorted(steps, reverse=True):
        d = step_dir(root, step)
        manifest = _complete(d)
        if manifest is not None:
            return step, d, manifest
    return None


def load_shard(d, manifest, rank, device):
    """Loads this rank's shard; with a different world size every rank loads rank 0's (DDP replicas are equal)."""
    name = rank_file(rank) if manifest["world_size"] > rank and rank_file(rank) in manifest["files"] else rank_file(0)
    path = os.path.join(d, name)
    try:
        # Our own files (optimizer state, RNG states, plain dicts); torch>=2.6 would default to weights_only=True.
        return torch.load(path, map_location=device, weights_only=False)
    except TypeError:
        return torch.load(path, map_location=device)
