#!/usr/bin/env python3
"""Consolidate one step of the reference workload's sharded checkpoint into a single file.

The workload trains with DDP, so every rank holds the same model weights: merging = rank 0's model, after checking
that every other rank's model has the same checksum (a mismatch means the replicas diverged, and the merge stops).
Optimizer and RNG states are per rank and kept as they are, under optimizer["rank_N"] / rng["rank_N"].

  merge_ckpt.py STEP_DIR --out FILE      (STEP_DIR = <ckpt dir>/step_000010, holding manifest.json)

Prints one JSON line (what was merged, checksums) on stdout. Exit 4: unreadable input; 6: replicas disagree.
"""
import argparse
import hashlib
import json
import os
import sys

import torch

FORMAT = "trainbench-merged-checkpoint/1"


def fail(code, message):
    sys.stderr.write("merge_ckpt: %s\n" % message)
    sys.exit(code)


def load(path):
    try:
        # Our own files hold plain dicts (optimizer, RNG states); torch>=2.6 would default to weights_only=True.
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:
        return torch.load(path, map_location="cpu")


def tensor_bytes(t):
    t = t.detach().cpu().contiguous()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.view(torch.int16)  # numpy has no bfloat16; same bytes, same size
    return t.numpy().tobytes()


def model_checksum(state):
    """sha256 over names, dtypes, shapes and bytes, in name order, so equal replicas give equal sums."""
    h = hashlib.sha256()
    for name in sorted(state):
        t = state[name]
        h.update(("%s|%s|%s\n" % (name, t.dtype, tuple(t.shape))).encode())
        h.update(tensor_bytes(t))
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step_dir")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    try:
        with open(os.path.join(a.step_dir, "manifest.json")) as f:
            manifest = json.load(f)
        files = list(manifest["files"])
        world = int(manifest["world_size"])
        step = int(manifest["step"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(4, "%s has no readable manifest.json (%s)" % (a.step_dir, e))
    if len(files) != world:
        fail(4, "manifest lists %d rank files for world_size %d" % (len(files), world))

    shards = []
    for name in files:
        path = os.path.join(a.step_dir, name)
        try:
            shard = load(path)
            shards.append((name, shard, model_checksum(shard["model"])))
        except Exception as e:  # a truncated or foreign file: say which one
            fail(4, "cannot read %s: %s" % (path, e))

    sums = [s for _, _, s in shards]
    differing = [name for name, _, s in shards if s != sums[0]]
    if differing:
        fail(6, "model replicas differ from %s in %s; DDP ranks should hold identical weights" % (files[0], ", ".join(differing)))

    first = shards[0][1]
    merged = {
        "format": FORMAT,
        "step": step,
        "world_size": world,
        "model": first["model"],
        "optimizer": {"rank_%d" % r: s.get("optimizer") for r, (_, s, _) in enumerate(shards)},
        "rng": {"rank_%d" % r: s.get("rng") for r, (_, s, _) in enumerate(shards)},
        "data": first.get("data"),
        "manifest": manifest,
        "model_sha256": sums[0],
    }
    out_dir = os.path.dirname(os.path.abspath(a.out))
    os.makedirs(out_dir, exist_ok=True)
    tmp = a.out + ".tmp.%d" % os.getpid()
    torch.save(merged, tmp)
    os.replace(tmp, a.out)  # never leave a half-written merged file under the final name
    params = sum(t.numel() for t in first["model"].values())
    print(json.dumps({"out": a.out, "step": step, "world_size": world, "tensors": len(first["model"]),
                      "parameters": params, "model_sha256": sums[0], "ranks_agree": True,
                      "optimizer_ranks": len(shards), "bytes": os.path.getsize(a.out)}))


if __name__ == "__main__":
    main()
