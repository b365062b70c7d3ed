#!/usr/bin/env python3
"""Stand-in for an engine's launcher in the multi-node tests: `accelerate launch` or `torchrun`.

Rendered through LaunchInput.launcherOverride = [python, this file, MODE], it receives every flag the rendered
sbatch script passes the real launcher, derives each worker's RANK / LOCAL_RANK / WORLD_SIZE / MASTER_ADDR /
MASTER_PORT the way that launcher does, starts one worker process per local slot, and each worker does a real gloo
all_reduce across all nodes, then prints one line: PROBE {json}.

  accelerate: --main_process_ip/--main_process_port/--machine_rank/--num_processes/--num_machines; processes per
              machine = num_processes // num_machines (accelerate's multi-GPU launch hands torch elastic a static
              rendezvous: node_rank = machine_rank, master = main_process_ip:main_process_port).
  torchrun:   --nnodes/--nproc_per_node/--rdzv_id/--rdzv_backend=c10d/--rdzv_endpoint=HOST:PORT. The agent on the
              endpoint host serves a TCPStore there, every agent joins, node ranks are assigned by sorting the
              participants (as torch's dynamic rendezvous sorts node descriptors; the Slurm node name stands in for
              the fqdn, which every network namespace shares), and node rank 0 publishes the master address and a
              free port in the store.
"""
import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import time

TIMEOUT = datetime.timedelta(seconds=120)


def node_name():
    return os.environ.get("SLURMD_NODENAME") or socket.gethostname()


def accelerate_plan(argv):
    ap = argparse.ArgumentParser(prog="accelerate launch")
    ap.add_argument("--config_file", required=True)
    ap.add_argument("--main_process_ip", required=True)
    ap.add_argument("--main_process_port", type=int, required=True)
    ap.add_argument("--machine_rank", type=int, required=True)
    ap.add_argument("--num_processes", type=int, required=True)
    ap.add_argument("--num_machines", type=int, required=True)
    ap.add_argument("script")
    ap.add_argument("script_args", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    if not os.path.isfile(a.config_file):
        sys.exit("accelerate config %s not found" % a.config_file)
    with open(a.config_file) as f:  # the rendered accelerate config must agree with the command line
        text = f.read()
    agrees = "num_machines: %d\n" % a.num_machines in text and "num_processes: %d\n" % a.num_processes in text
    return {"config_agrees": agrees, "nnodes": a.num_machines, "node_rank": a.machine_rank, "nproc": a.num_processes // a.num_machines,
            "master_addr": a.main_process_ip, "master_port": a.main_process_port,
            "entry": [a.script] + a.script_args}, None


def free_port():
    s = socket.socket()
    s.bind(("", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def torchrun_plan(argv):
    ap = argparse.ArgumentParser(prog="torchrun")
    ap.add_argument("--nnodes", required=True)
    ap.add_argument("--nproc_per_node", type=int, required=True)
    ap.add_argument("--rdzv_id", required=True)
    ap.add_argument("--rdzv_backend", required=True)
    ap.add_argument("--rdzv_endpoint", required=True)
    ap.add_argument("-m", "--module", action="store_true")
    ap.add_argument("script")
    ap.add_argument("script_args", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    if a.rdzv_backend != "c10d":
        sys.exit("this probe implements the c10d rendezvous only, got %s" % a.rdzv_backend)
    nnodes = int(a.nnodes.split(":")[-1])
    host, port = a.rdzv_endpoint.rsplit(":", 1)
    me = node_name()
    from torch.distributed import TCPStore
    is_host = socket.gethostbyname(host) == socket.gethostbyname(me)
    store = TCPStore(host, int(port), None, is_host, TIMEOUT, wait_for_workers=False)
    prefix = "rdzv/%s/" % a.rdzv_id
    slot = store.add(prefix + "joined", 1)
    store.set(prefix + "slot/%d" % slot, me)
    deadline = time.time() + TIMEOUT.total_seconds()
    while store.add(prefix + "joined", 0) < nnodes:
        if time.time() > deadline:
            sys.exit("rendezvous %s: only %d of %d nodes joined" % (a.rdzv_id, store.add(prefix + "joined", 0), nnodes))
        time.sleep(0.1)
    members = sorted(store.get(prefix + "slot/%d" % k).decode() for k in range(1, nnodes + 1))
    node_rank = members.index(me)
    if node_rank == 0:
        store.set(prefix + "MASTER_ADDR", me)
        store.set(prefix + "MASTER_PORT", str(free_port()))
    master_addr = store.get(prefix + "MASTER_ADDR").decode()
    master_port = int(store.get(prefix + "MASTER_PORT").decode())
    plan = {"nnodes": nnodes, "node_rank": node_rank, "nproc": a.nproc_per_node, "master_addr": master_addr,
            "master_port": master_port, "entry": (["-m"] if a.module else []) + [a.script] + a.script_args,
            "rdzv_endpoint": a.rdzv_endpoint}
    return plan, (store, prefix, nnodes, is_host)


def agent(mode, argv):
    plan, rdzv = (accelerate_plan if mode == "accelerate" else torchrun_plan)(argv)
    world = plan["nnodes"] * plan["nproc"]
    workers = []
    for local in range(plan["nproc"]):
        env = dict(os.environ, RANK=str(plan["node_rank"] * plan["nproc"] + local), LOCAL_RANK=str(local),
                   WORLD_SIZE=str(world), LOCAL_WORLD_SIZE=str(plan["nproc"]), GROUP_RANK=str(plan["node_rank"]),
                   MASTER_ADDR=plan["master_addr"], MASTER_PORT=str(plan["master_port"]), OMP_NUM_THREADS="1",
                   PROBE_INFO=json.dumps({"launcher": mode, "node": node_name(), "machine_rank": plan["node_rank"],
                                          "nnodes": plan["nnodes"], "entry": plan["entry"],
                                          "config_agrees": plan.get("config_agrees")}))
        workers.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"], env=env))
    code = max(w.wait() for w in workers)
    if rdzv:  # the store's host stays until every agent is done with it
        store, prefix, nnodes, is_host = rdzv
        store.add(prefix + "done", 1)
        while is_host and store.add(prefix + "done", 0) < nnodes:
            time.sleep(0.1)
    sys.exit(code)


def worker():
    import torch
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method="env://", timeout=TIMEOUT)
    ones = torch.ones(1)
    dist.all_reduce(ones)
    ranks = torch.tensor([float(dist.get_rank())])
    dist.all_reduce(ranks)
    info = json.loads(os.environ["PROBE_INFO"])
    info.update({"rank": dist.get_rank(), "local_rank": int(os.environ["LOCAL_RANK"]), "world_size": dist.get_world_size(),
                 "master_addr": os.environ["MASTER_ADDR"], "master_port": int(os.environ["MASTER_PORT"]),
                 "allreduce_ones": ones.item(), "allreduce_rank_sum": ranks.item()})
    line = "PROBE " + json.dumps(info, sort_keys=True)
    print(line, flush=True)
    # Workers on different nodes share one Slurm output file, where long lines can interleave: the test reads a
    # file per rank under PROBE_DIR (exported by the submitting test, passed on by sbatch and srun) instead.
    if os.environ.get("PROBE_DIR"):
        os.makedirs(os.environ["PROBE_DIR"], exist_ok=True)
        with open(os.path.join(os.environ["PROBE_DIR"], "rank-%d.json" % dist.get_rank()), "w") as f:
            f.write(json.dumps(info) + "\n")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker()
    elif sys.argv[1:2] in (["accelerate"], ["torchrun"]):
        agent(sys.argv[1], sys.argv[2:])
    else:
        sys.exit("usage: rendezvous_probe.py accelerate|torchrun LAUNCHER-ARGS...")
