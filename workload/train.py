#!/usr/bin/env python3
"""trainbench reference training workload.

    python3 workload/train.py --config run.json [--set key.sub=value ...]

Schema, output contract, exit codes and fault injection: workload/README.md.
"""
import argparse
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# First of all: a preemption signal during start-up (importing torch takes seconds) must set the flag the first step
# end acts on, not kill the rank with the default action. Only Python's own start-up comes before this line.
from trainbench_workload.signals import Signals  # noqa: E402

SIGNALS = Signals()

from trainbench_workload import EXIT_ERROR, WorkloadError  # noqa: E402


def _rank():
    for name in ("RANK", "SLURM_PROCID"):
        raw = os.environ.get(name, "")
        if raw.isdigit():
            return int(raw)
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="train.py", description="trainbench reference training workload")
    parser.add_argument("--config", help="run.json (every key optional; see workload/README.md)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config key, e.g. --set model.layers=4 --set task=lora (value parsed as JSON)")
    args = parser.parse_args(argv)
    from trainbench_workload import events
    try:
        from trainbench_workload.config import load_config
        from trainbench_workload.dist import discover
        cfg = load_config(args.config, args.overrides)
        info = discover()
        from trainbench_workload.faults import fire, parse
        fault_list = parse(os.environ.get("TRAINBENCH_FAULT"))  # fail fast, before the slow torch import
        fire(fault_list, None, info["rank"], at="setup")
        from trainbench_workload.data import make_dataset
        data = make_dataset(cfg)
        from trainbench_workload.trainer import train
        code = train(cfg, info, data, SIGNALS)
        fire(fault_list, None, info["rank"], at="exit")
        return code
    except BaseException as e:  # noqa: BLE001 - every failure must leave an error event and a non-zero exit
        if isinstance(e, SystemExit) and not e.code:
            raise
        code = e.exit_code if isinstance(e, WorkloadError) else EXIT_ERROR
        if isinstance(e, WorkloadError):
            sys.stderr.write("trainbench-workload: error: %s\n" % e)
        elif isinstance(e, KeyboardInterrupt):
            code = 130
        else:
            traceback.print_exc()
        sys.stderr.flush()
        events.emit({"event": "error", "rank": _rank(), "type": type(e).__name__, "message": str(e),
                     "exit_code": code})
        # os._exit: a peer may still be blocked in a collective, and process-group teardown would wait for it.
        os._exit(code)


if __name__ == "__main__":
    exit_code = main(sys.argv[1:])
    # Past this point the interpreter would shut down: it puts SIGTERM/SIGUSR1 back to their default action and
    # then spends ~0.2 s tearing torch down, a window in which a late signal killed a finished rank (exit 138).
    # Everything is written and the process group is gone, so leave now, with the handlers still in place.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)
