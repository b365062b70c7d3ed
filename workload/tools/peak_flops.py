"""Measures the achievable matrix-multiply peak of this machine's CPU (or a GPU) for MFU on hardware without a
published peak. Method: square matmuls of size N in the requested dtype on `threads` threads (one rank's share of
the cores), a few warm-up runs, then the best of R timed runs; FLOPs per matmul = 2*N^3. Prints one JSON object."""
import argparse
import json
import platform
import statistics
import time

import torch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dtype", default="bf16", choices=["bf16", "fp32"])
    parser.add_argument("--n", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=8)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    a = torch.randn(args.n, args.n, device=args.device).to(dtype)
    b = torch.randn(args.n, args.n, device=args.device).to(dtype)
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    for _ in range(3):
        a @ b
    sync()
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        a @ b
        sync()
        times.append(time.perf_counter() - start)
    flops = 2.0 * args.n ** 3
    print(json.dumps({
        "dtype": args.dtype,
        "n": args.n,
        "threads": args.threads,
        "reps": args.reps,
        "device": args.device,
        "best_flops": flops / min(times),
        "median_flops": flops / statistics.median(times),
        "torch": torch.__version__,
        "processor": platform.processor() or platform.machine(),
        "method": f"best of {args.reps} {args.n}x{args.n} {args.dtype} matmuls on {args.threads} thread(s), 2*N^3 FLOPs each",
    }))


if __name__ == "__main__":
    main()
