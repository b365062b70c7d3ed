"""Fault injection for tests: TRAINBENCH_FAULT="kind:step=N[:rank=R][:code=C]", several joined by ','.

Kinds: raise, oom (the real CUDA OOM wording), nccl_timeout (the real NCCL watchdog wording, then abort),
hang (sleep forever), exit (os._exit(code) with no cleanup), stop (SIGSTOP itself: a test then signals the stopped
rank and sends SIGCONT, so a signal lands at an exact moment without guessing at timing). A fault fires at the
start of step N on rank R (every rank when rank is omitted), or with at=PHASE at one of the moments in PHASES.
"""
import os
import signal
import sys
import time

from . import ConfigError

KINDS = ("raise", "oom", "nccl_timeout", "hang", "exit", "stop")
# step: the start of step N. setup: config read, before torch is imported. done: after the loop (the last step
# line and any final checkpoint are out, the end event is not). exit: everything written, just before the exit.
PHASES = ("step", "setup", "done", "exit")


def parse(text):
    faults = []
    for item in filter(None, (t.strip() for t in (text or "").split(","))):
        parts = item.split(":")
        kind = parts[0]
        if kind not in KINDS:
            raise ConfigError("TRAINBENCH_FAULT: unknown kind %r (known: %s)" % (kind, ", ".join(KINDS)))
        spec = {"kind": kind, "step": 0, "rank": None, "code": 1, "at": "step"}
        for p in parts[1:]:
            key, _, val = p.partition("=")
            if key == "at" and val in PHASES:
                spec["at"] = val
                continue
            if key not in ("step", "rank", "code") or not val.lstrip("-").isdigit():
                raise ConfigError("TRAINBENCH_FAULT: bad field %r in %r (use step=N, rank=R, code=C, at=%s)"
                                  % (p, item, "|".join(PHASES)))
            spec[key] = int(val)
        faults.append(spec)
    return faults


def _oom_message():
    import torch
    if torch.__version__.startswith("1."):
        return ("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity; 75.82 GiB already "
                "allocated; 1.19 GiB free; 76.90 GiB reserved in total by PyTorch) If reserved memory is >> allocated "
                "memory try setting max_split_size_mb to avoid fragmentation.  See documentation for Memory Management "
                "and PYTORCH_CUDA_ALLOC_CONF")
    return ("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.19 GiB "
            "is free. Including non-PyTorch memory, this process has 77.95 GiB memory in use. Of the allocated memory "
            "75.82 GiB is allocated by PyTorch, and 1.08 GiB is reserved by PyTorch but unallocated. If reserved but "
            "unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid "
            "fragmentation.  See documentation for Memory Management  "
            "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)")


def fire(faults, step, rank, at="step"):
    for f in faults:
        if f["at"] != at or (at == "step" and f["step"] != step) or (f["rank"] is not None and f["rank"] != rank):
            continue
        sys.stdout.flush()
        kind = f["kind"]
        if kind == "raise":
            raise RuntimeError("injected fault (TRAINBENCH_FAULT) at step %d on rank %d" % (step, rank))
        if kind == "oom":
            import torch
            err = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", RuntimeError)
            raise err(_oom_message())
        if kind == "nccl_timeout":
            stamp = time.strftime("%m%d %H:%M:%S", time.gmtime())
            head = "[rank%d]:[E%s.000000000 ProcessGroupNCCL.cpp:632] [Rank %d] " % (rank, stamp, rank)
            sys.stderr.write(head + "Watchdog caught collective operation timeout: WorkNCCL(SeqNum=%d, OpType=ALLREDUCE, "
                             "NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600031 milliseconds before timing out.\n"
                             % (step * 3 + 1))
            sys.stderr.write(head + "Exception (either an error or timeout) detected by watchdog at work: %d, last "
                             "enqueued NCCL work: %d, last completed NCCL work: %d.\n" % (step * 3 + 1, step * 3 + 1, step * 3))
            sys.stderr.write("terminate called after throwing an instance of 'c10::DistBackendError'\n")
            sys.stderr.flush()
            os.abort()
        if kind == "hang":
            while True:
                time.sleep(3600)
        if kind == "exit":
            sys.stderr.flush()
            os._exit(f["code"])
        if kind == "stop":
            # Signals sent while stopped are delivered on SIGCONT, inside this os.kill, whose return runs the Python
            # handlers at once: the signal lands exactly here.
            os.kill(os.getpid(), signal.SIGSTOP)
