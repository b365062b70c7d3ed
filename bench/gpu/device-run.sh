#!/usr/bin/env bash
# trainbench's GPU proof, in one go on a machine with one NVIDIA GPU, Python + PyTorch and no Node.js
# (bench/gpu/README.md). Needs the pack of `bash scripts/pack.sh` in .pack/ of this checkout.
#
#   bash bench/gpu/device-run.sh OUTDIR [PHASES]
#
# PHASES (default "env 8b hf8b 1b 8b-gbs1 norm-explicit attn-sdpa hf8b-acc4 hf1b compile", most wanted first): what to run, in order; each phase has its own
# time limit so that one failure or hang costs its phase only. Everything lands in OUTDIR, flat (at most 8 files):
# device.log (all output), runs.tar (trainbench run folders, JSON outputs, baseline and experiment logs), env.txt.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
out="${1:?usage: device-run.sh OUTDIR [PHASES]}"
phases="${2:-env 8b hf8b 1b 8b-gbs1 norm-explicit attn-sdpa hf8b-acc4 hf1b compile}"
mkdir -p "$out"
work=/tmp/tb-gpu
mkdir -p "$work/extra"
export TRAINBENCH_HOME="$work/home" PYTHONUNBUFFERED=1  # the python with torch is found as trainbench finds it
t0=$(date +%s)
say() { echo "[$(($(date +%s) - t0))s] $*"; }
exec > >(tee -a "$out/device.log") 2>&1

keep() { # keep PATH... in runs.tar (relative to $work), now: a later hang or kill loses nothing already kept
  tar rf "$out/runs.tar" -C "$work" --exclude='checkpoints' "$@" 2>/dev/null || true
}

tb=""
unpack() {
  tb="$(bash .pack/unpack.sh /tmp/trainbench)" || { say "unpack failed"; return 1; }
  say "trainbench: $tb ($("$tb" --version))"
}

run_recipe() { # run_recipe NAME RECIPE LIMIT_S
  local name=$1 recipe=$2 limit=$3
  say "run $recipe"
  timeout -k 10 "$limit" "$tb" run "$recipe" --json > "$work/extra/$name.json" 2> "$work/extra/$name.err"
  say "run $recipe: exit $?"
  tail -n 4 "$work/extra/$name.err"
  keep "home/runs/$recipe" "extra/$name.json" "extra/$name.err"
}

hf() { # hf NAME LIMIT_S ARGS...
  local name=$1 limit=$2
  shift 2
  say "hf baseline $name: $*"
  timeout -k 10 "$limit" python3 bench/gpu/hf_baseline.py "$@" > "$work/extra/$name.log" 2>&1
  say "hf $name: exit $?"
  grep -E '^HF_BASELINE|Error|error' "$work/extra/$name.log" | tail -n 3
  keep "extra/$name.log"
}

experiment() { # experiment NAME LIMIT_S --set k=v ...: the 8B run's run.json with overrides, the workload directly
  local name=$1 limit=$2
  shift 2
  local cfg
  cfg="$(find "$work/home/runs/workload-llama3-8b-h200" -name run.json 2>/dev/null | sort | tail -n 1)"
  [ -f "$cfg" ] || { say "experiment $name: no 8B run.json"; return; }
  say "experiment $name: $*"
  timeout -k 10 "$limit" python3 workload/train.py --config "$cfg" --set checkpoint.dir=null "$@" \
    > "$work/extra/$name.log" 2>&1
  say "experiment $name: exit $?"
  grep -E 'iteration|Error' "$work/extra/$name.log" | tail -n 2
  keep "extra/$name.log"
}

for phase in $phases; do
  case "$phase" in
    env)
      { date -u; nvidia-smi; nvidia-smi -q -d POWER,CLOCK,PERFORMANCE; uname -a; nproc; free -g
        python3 - <<'PY'
import time, torch, transformers
print("torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__)
print("device", torch.cuda.get_device_name(), torch.cuda.get_device_properties(0))
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
for _ in range(3):
    a @ b
s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
s.record()
for _ in range(20):
    a @ b
e.record(); e.synchronize()
print("bf16 matmul 8192^3 on random data: %.0f TFLOP/s (mean of 20)" % (2 * 8192**3 * 20 / (s.elapsed_time(e) / 1e3) / 1e12))
PY
      } > "$work/env.txt" 2>&1
      cp "$work/env.txt" "$out/env.txt"
      grep -E 'torch|matmul|Power Limit|Product Name' "$work/env.txt" | head -n 8
      unpack
      ;;
    1b) run_recipe 1b workload-llama3.2-1b-h200 240 ;;
    8b) run_recipe 8b workload-llama3-8b-h200 300 ;;
    8b-gbs1) run_recipe 8b-gbs1 workload-llama3-8b-h200-gbs1 240 ;;
    hf8b) hf hf-8b 240 --preset llama3-8b --seq 4096 --mbs 1 --accum 1 --steps 20 ;;
    hf8b-acc4) hf hf-8b-acc4 240 --preset llama3-8b --seq 4096 --mbs 1 --accum 4 --steps 10 --warmup 3 ;;
    hf1b) hf hf-1b 180 --preset llama3.2-1b --seq 4096 --mbs 4 --accum 1 --steps 20 ;;
    # Ablations at the 8B shape, one optimizer step per sequence (compare with 8b-gbs1): each changes one knob.
    norm-explicit) experiment norm-explicit 150 --set global_batch=1 --set steps=20 --set rms_norm=explicit ;;
    attn-sdpa) experiment attn-sdpa 150 --set global_batch=1 --set steps=20 --set attention=sdpa ;;
    compile) experiment compile 300 --set global_batch=1 --set steps=20 --set compile=true ;;
    cechunk) experiment cechunk 150 --set global_batch=1 --set steps=20 --set ce_chunk=4096 ;;
    cpu) run_recipe cpu workload-mini-cpu 240 ;;  # the embedded default: checks this script on any machine
    *) say "unknown phase $phase" ;;
  esac
done
keep home/store.sqlite home/store.sqlite-wal env.txt
ls -la "$out"
say "done"
