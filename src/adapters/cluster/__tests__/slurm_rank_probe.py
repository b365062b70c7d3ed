#!/usr/bin/env python3
"""Stand-in for an engine's program in the multi-node tests of the srun-per-GPU scripts (NeMo 2, Megatron-LM).

Rendered through LaunchInput.launcherOverride = [python, this file, MODE], it runs once per srun task with every
argument the real program gets, takes its rank the way that engine does, checks what the engine would check before
training, then does a real gloo all_reduce across the nodes and writes one JSON line per rank under PROBE_DIR (and
prints it: the task's stdout is the engine log the script names).

  nemo:      `nemo llm finetune|pretrain --factory F -y key=value...`. The nemo CLI runs the task in-process (no
             executor given) and Lightning's SLURMEnvironment (lightning/fabric/plugins/environments/slurm.py) takes
             over when SLURM_NTASKS == trainer.devices x trainer.num_nodes (_is_slurm_managing_tasks; otherwise
             Lightning would start processes of its own); it refuses SLURM_NTASKS > 1 without SLURM_NTASKS_PER_NODE,
             --ntasks-per-node != devices and --nodes != num_nodes. Ranks: SLURM_PROCID / SLURM_LOCALID /
             SLURM_NODEID, world SLURM_NTASKS; MASTER_ADDR = the first host of SLURM_NODELIST (resolve_root_node_address),
             MASTER_PORT = $MASTER_PORT or 15000 + the last 4 digits of SLURM_JOB_ID. MegatronStrategy then needs the
             world to divide by TP x PP x CP and the GBS by MBS x DP.
  megatron:  `pretrain_gpt.py --flags...` with RANK / WORLD_SIZE / LOCAL_RANK / MASTER_ADDR / MASTER_PORT from the
             environment (megatron/training/arguments.py, initialize.py: init_process_group over env://), and
             validate_args' world % (TP x PP x CP) == 0 and GBS % (MBS x DP) == 0.
"""
import datetime
import json
import os
import re
import sys

TIMEOUT = datetime.timedelta(seconds=120)


def fail(msg):
    sys.stderr.write("PROBE-ERROR %s\n" % msg)
    sys.exit(3)


def env_int(name):
    raw = os.environ.get(name)
    if raw is None:
        fail("%s is not set in the task" % name)
    return int(raw)


def resolve_root_node_address(nodes):
    nodes = re.sub(r"\[(.*?)[,-].*\]", "\\1", nodes)
    nodes = re.sub(r"\[(.*?)\]", "\\1", nodes)
    return nodes.split(" ")[0].split(",")[0]


def check_parallelism(world, tp, pp, cp, mbs, gbs):
    if world % (tp * pp * cp):
        fail("world %d is not divisible by TP %d x PP %d x CP %d" % (world, tp, pp, cp))
    dp = world // (tp * pp * cp)
    if gbs % (mbs * dp):
        fail("GBS %d is not divisible by MBS %d x DP %d" % (gbs, mbs, dp))
    return dp


def nemo_plan(argv):
    if argv[:1] != ["llm"] or len(argv) < 2 or argv[1] not in ("finetune", "pretrain"):
        fail("expected `nemo llm finetune|pretrain ...`, got %r" % argv[:2])
    rest = argv[2:]
    if "-y" not in rest:
        fail("without -y the nemo CLI asks for confirmation on every rank")
    factory = rest[rest.index("--factory") + 1] if "--factory" in rest else None
    overrides = dict(a.split("=", 1) for a in rest if "=" in a and not a.startswith("-"))
    devices, num_nodes = int(overrides["trainer.devices"]), int(overrides["trainer.num_nodes"])
    if os.environ.get("SLURM_JOB_NAME") in ("bash", "interactive"):
        fail("job name %s turns Lightning's SLURM detection off" % os.environ["SLURM_JOB_NAME"])
    ntasks = env_int("SLURM_NTASKS")
    if ntasks > 1 and "SLURM_NTASKS_PER_NODE" not in os.environ:
        fail("SLURM_NTASKS=%d without SLURM_NTASKS_PER_NODE: Lightning refuses --ntasks" % ntasks)
    per_node = os.environ.get("SLURM_NTASKS_PER_NODE")
    if per_node is not None and int(per_node.split("(")[0]) != devices:
        fail("--ntasks-per-node=%s but trainer.devices=%d" % (per_node, devices))
    if env_int("SLURM_NNODES") != num_nodes:
        fail("--nodes=%s but trainer.num_nodes=%d" % (os.environ["SLURM_NNODES"], num_nodes))
    if ntasks != devices * num_nodes:
        fail("SLURM_NTASKS=%d != devices %d x num_nodes %d: Lightning would not let Slurm manage the ranks"
             % (ntasks, devices, num_nodes))
    job_id = os.environ.get("SLURM_JOB_ID")
    port = int(os.environ["MASTER_PORT"]) if "MASTER_PORT" in os.environ else (int(job_id[-4:]) + 15000 if job_id else 12910)
    dp = check_parallelism(ntasks, int(overrides["trainer.strategy.tensor_model_parallel_size"]),
                           int(overrides["trainer.strategy.pipeline_model_parallel_size"]),
                           int(overrides["trainer.strategy.context_parallel_size"]),
                           int(overrides["data.micro_batch_size"]), int(overrides["data.global_batch_size"]))
    return {"rank": env_int("SLURM_PROCID"), "local_rank": env_int("SLURM_LOCALID"), "node_rank": env_int("SLURM_NODEID"),
            "world_size": ntasks, "master_addr": resolve_root_node_address(os.environ.get("SLURM_NODELIST", "127.0.0.1")),
            "master_port": port, "dp": dp, "factory": factory, "verb": argv[1], "log_dir": overrides.get("log.log_dir"),
            "devices": devices, "num_nodes": num_nodes}


def megatron_plan(argv):
    if not argv or not argv[0].endswith("pretrain_gpt.py"):
        fail("expected pretrain_gpt.py first, got %r" % argv[:1])
    flags = {}
    for i, a in enumerate(argv[1:], 1):
        if a.startswith("--"):
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            flags[a] = nxt if nxt is not None and not nxt.startswith("--") else True
    world, rank = env_int("WORLD_SIZE"), env_int("RANK")
    dp = check_parallelism(world, int(flags["--tensor-model-parallel-size"]), int(flags["--pipeline-model-parallel-size"]),
                           int(flags["--context-parallel-size"]), int(flags["--micro-batch-size"]),
                           int(flags["--global-batch-size"]))
    for name in ("MASTER_ADDR", "MASTER_PORT"):
        if not os.environ.get(name):
            fail("%s is not set: init_process_group(env://) cannot rendezvous" % name)
    return {"rank": rank, "local_rank": env_int("LOCAL_RANK"), "node_rank": env_int("SLURM_NODEID"), "world_size": world,
            "master_addr": os.environ["MASTER_ADDR"], "master_port": int(os.environ["MASTER_PORT"]), "dp": dp,
            "mock_data": "--mock-data" in flags}


def main(mode, argv):
    plan = (nemo_plan if mode == "nemo" else megatron_plan)(argv)
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = plan["master_addr"], str(plan["master_port"])
    import torch
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method="env://", rank=plan["rank"], world_size=plan["world_size"], timeout=TIMEOUT)
    ones = torch.ones(1)
    dist.all_reduce(ones)
    ranks = torch.tensor([float(plan["rank"])])
    dist.all_reduce(ranks)
    plan.update({"mode": mode, "node": os.environ.get("SLURMD_NODENAME", ""), "job_id": os.environ.get("SLURM_JOB_ID"),
                 "allreduce_ones": ones.item(), "allreduce_rank_sum": ranks.item()})
    line = json.dumps(plan, sort_keys=True)
    print("PROBE " + line, flush=True)
    if os.environ.get("PROBE_DIR"):
        os.makedirs(os.environ["PROBE_DIR"], exist_ok=True)
        with open(os.path.join(os.environ["PROBE_DIR"], "rank-%d.json" % plan["rank"]), "w") as f:
            f.write(line + "\n")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    if sys.argv[1:2] not in (["nemo"], ["megatron"]):
        sys.exit("usage: slurm_rank_probe.py nemo|megatron ARGS...")
    main(sys.argv[1], sys.argv[2:])
