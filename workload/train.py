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
        from trainbench_workload.faults import parse
        parse(os.environ.get("TRAINBENCH_FAULT"))  # fail fast, before the slow torch import
        from trainbench_workload.data import make_dataset
        data = make_dataset(cfg)
        from trainbench_workload.trainer import train
        return train(cfg, info, data)
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
    sys.exit(main(sys.argv[1:]))
