"""The plain Hugging Face baseline the reference workload is measured against on a GPU (bench/gpu/README.md).

A Llama-shaped ``LlamaForCausalLM`` from a config (random init, bf16 weights, SDPA attention, no recomputation), mock
tokens, fused AdamW, the loss from ``model(input_ids, labels=...)``: what a user would write first with transformers.
Each optimizer step is timed twice, with the host clock around it (after a synchronize) and with CUDA events; the
figures are the median over the steps after ``--warmup``. Prints one step line per step and a JSON summary last.

    python3 bench/gpu/hf_baseline.py --preset llama3-8b --seq 4096 --mbs 1 --accum 1 --steps 20
"""
import argparse
import json
import statistics
import sys
import time

import torch

PRESETS = {
    "llama3-8b": dict(layers=32, hidden=4096, ffn=14336, heads=32, kv_heads=8, vocab=128256),
    "llama3.2-1b": dict(layers=16, hidden=2048, ffn=8192, heads=32, kv_heads=8, vocab=128256),
}


def build(shape, seq):
    from transformers import LlamaConfig, LlamaForCausalLM
    cfg = LlamaConfig(vocab_size=shape["vocab"], hidden_size=shape["hidden"], intermediate_size=shape["ffn"],
                      num_hidden_layers=shape["layers"], num_attention_heads=shape["heads"],
                      num_key_value_heads=shape["kv_heads"], max_position_embeddings=seq,
                      tie_word_embeddings=False, use_cache=False)
    cfg._attn_implementation = "sdpa"
    # bf16 weights created on the GPU directly: an 8B model built in fp32 on the host first takes minutes.
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device("cuda"):
            model = LlamaForCausalLM(cfg)
    finally:
        torch.set_default_dtype(torch.float32)
    return model.to(device="cuda", dtype=torch.bfloat16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=sorted(PRESETS), default="llama3-8b")
    ap.add_argument("--seq", type=int, default=4096)
    ap.add_argument("--mbs", type=int, default=1)
    ap.add_argument("--accum", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--peak-tflops", type=float, default=989.0)
    a = ap.parse_args()
    shape = PRESETS[a.preset]
    torch.manual_seed(0)
    torch.backends.cuda.matmul.allow_tf32 = True
    model = build(shape, a.seq)
    model.train()
    params = sum(p.numel() for p in model.parameters())
    non_emb = params - model.model.embed_tokens.weight.numel()
    flops_per_token = 6 * non_emb + 12 * shape["layers"] * shape["hidden"] * a.seq
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, betas=(0.9, 0.95), fused=True)
    ids = torch.randint(0, shape["vocab"], (a.accum, a.mbs, a.seq), device="cuda")
    tokens = a.accum * a.mbs * a.seq
    wall, event_ms = [], []
    for step in range(a.steps):
        torch.cuda.synchronize()
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        t0 = time.perf_counter()
        e0.record()
        for micro in range(a.accum):
            loss = model(input_ids=ids[micro], labels=ids[micro]).loss
            (loss / a.accum).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        e1.record()
        e1.synchronize()
        wall.append(time.perf_counter() - t0)
        event_ms.append(e0.elapsed_time(e1))
        print("hf step %d | loss %.4f | step_time_s %.4f | cuda_event_ms %.2f | peak_memory_gib %.1f"
              % (step, loss.item(), wall[-1], event_ms[-1], torch.cuda.max_memory_allocated() / 2**30), flush=True)
    kept = wall[a.warmup:] or wall
    kept_ev = event_ms[a.warmup:] or event_ms
    med = statistics.median(kept)
    summary = {
        "baseline": "hf-transformers-eager", "preset": a.preset, "seq": a.seq, "mbs": a.mbs, "accum": a.accum,
        "steps": a.steps, "warmup": a.warmup, "torch": torch.__version__,
        "transformers": __import__("transformers").__version__, "gpu": torch.cuda.get_device_name(),
        "params": params, "non_embedding_params": non_emb, "flops_per_token": flops_per_token,
        "median_step_s": med, "mean_step_s": statistics.fmean(kept),
        "median_cuda_event_s": statistics.median(kept_ev) / 1000, "tokens_per_step": tokens,
        "tokens_per_s": tokens / med, "mfu": tokens / med * flops_per_token / (a.peak_tflops * 1e12),
        "peak_memory_bytes": torch.cuda.max_memory_allocated(),
    }
    print("HF_BASELINE " + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
