"""The training loop: DDP over the ranks started, gradient accumulation, bf16 autocast, checkpoints, signals."""
import contextlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist

from . import EXIT_SIGTERM, ConfigError
from . import checkpoint as ckpt
from . import dist as tdist
from . import attention as attn
from . import events, faults
from .config import grad_accum_steps
from .data import batch_indices, make_dataset
from .lora import apply_lora, frozen_checksum
from .model import Llama, count_params, flops_per_token
from .signals import Signals


def _threads(cfg, info, device):
    if device.type != "cpu":
        return
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    # One process per core share: ranks on the same node would otherwise oversubscribe the CPU.
    torch.set_num_threads(cfg["cpu_threads"] or max(1, cores // max(1, info["local_world_size"])))


def _bf16_ok(cfg, device):
    if cfg["dtype"] != "bf16":
        return False
    return device.type != "cuda" or torch.cuda.is_bf16_supported()


def _autocast(device, enabled):
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=enabled)


def _optimizer(params, cfg, device):
    kw = {"lr": cfg["lr"], "weight_decay": cfg["weight_decay"], "betas": (0.9, 0.95)}
    if device.type == "cuda":
        try:
            return torch.optim.AdamW(params, fused=True, **kw)  # torch>=2.0: one kernel for the whole update
        except (TypeError, RuntimeError):
            pass
    return torch.optim.AdamW(params, **kw)


def _lr(cfg, step):
    w = cfg["warmup_steps"]
    return cfg["lr"] * min(1.0, (step + 1) / w) if w else cfg["lr"]


def _build(cfg, device):
    torch.manual_seed(cfg["seed"])
    # On a GPU, create the weights there (torch>=2.0 device context): an 8B model would otherwise be initialised
    # on the host, slowly and with 32 GB of RAM, before the copy.
    on_device = device.type == "cuda" and hasattr(torch.device, "__enter__")
    with (device if on_device else contextlib.nullcontext()), _default_dtype(cfg["param_dtype"] == "bf16"):
        model = Llama(cfg["model"], cfg["activation_checkpointing"], cfg["rms_norm"] == "fused")
        if cfg["task"] == "lora":
            apply_lora(model, cfg["lora"]["rank"], cfg["lora"]["alpha"], cfg["seed"])
    if cfg["param_dtype"] == "bf16":
        model.to(torch.bfloat16)
    return model.to(device)


@contextlib.contextmanager
def _default_dtype(bf16):
    """Creates bf16 weights as bf16: built in fp32 first, an 8B model would need 32 GB more at start (and the
    allocator would keep that memory fragmented for the run)."""
    before = torch.get_default_dtype()
    try:
        if bf16:
            torch.set_default_dtype(torch.bfloat16)
    except (TypeError, RuntimeError):  # a torch that only takes fp32/fp64 as default: convert after building
        pass
    try:
        yield
    finally:
        torch.set_default_dtype(before)


def _attention(cfg, device, use_bf16):
    """Applies the attention choice; with ``tune`` on a GPU, times the backends at this run's shape first."""
    chosen = attn.configure(cfg["attention"], device)
    if cfg["attention"] != "tune" or device.type != "cuda":
        return {"requested": cfg["attention"], "backend": chosen} if cfg["attention"] != "sdpa" else None
    m = cfg["model"]
    dtype = torch.bfloat16 if use_bf16 or cfg["param_dtype"] == "bf16" else torch.float32
    shape = (cfg["micro_batch"], m["heads"], cfg["seq_len"], m["hidden"] // m["heads"])
    return dict(attn.tune(shape, m["kv_heads"], dtype, device), requested="tune", shape=list(shape))


def _batch(data, indices, cfg, device):
    tokens = torch.from_numpy(np.stack([data.sample(i) for i in indices]))
    if device.type == "cuda":
        tokens = tokens.pin_memory().to(device, non_blocking=True)
    inputs, labels = tokens[:, :-1], tokens[:, 1:].clone()
    if cfg["task"] in ("sft", "lora"):
        # SFT masks the prompt: no loss on the first prompt_fraction of each sample's tokens.
        labels[:, :int(cfg["sft"]["prompt_fraction"] * cfg["seq_len"])] = -100
    return inputs, labels


def _save(cfg, info, device, raw_model, opt, completed):
    root = cfg["checkpoint"]["dir"]
    state = {"model": raw_model.state_dict(), "optimizer": opt.state_dict(), "step": completed,
             "rng": {"torch": torch.get_rng_state(),
                     "cuda": torch.cuda.get_rng_state(device) if device.type == "cuda" else None},
             "data": {"next_sample": completed * cfg["global_batch"]}}
    d = ckpt.save_shard(root, completed, info["rank"], state)
    tdist.barrier(info, device)
    if info["rank"] == 0:
        ckpt.write_manifest(root, completed, info["world_size"], {"task": cfg["task"], "model": cfg["model"]})
        events.emit({"event": "checkpoint", "step": completed, "path": d, "time": time.time()})
    return d


def train(cfg, info, data=None, sig=None):
    # train.py installs the handlers before anything slow; a SIGTERM during setup still means "stop at the first
    # step end".
    sig = sig if sig is not None else Signals()
    device = tdist.pick_device(cfg["device"], info["local_rank"])
    _threads(cfg, info, device)
    if device.type == "cuda":
        torch.set_float32_matmul_precision("high")  # TF32 for any fp32 matmul left outside autocast
    accum = grad_accum_steps(cfg, info["world_size"])
    fault_list = faults.parse(os.environ.get("TRAINBENCH_FAULT"))
    data = data if data is not None else make_dataset(cfg)
    tdist.init(info, device, cfg["dist_timeout_s"])
    rank0 = info["rank"] == 0

    model = _build(cfg, device)
    params_total, trainable, non_emb = count_params(model)
    flops = flops_per_token(model, cfg["seq_len"])
    opt = _optimizer([p for p in model.parameters() if p.requires_grad], cfg, device)

    start_step, resumed = 0, None
    found = ckpt.find_latest(cfg["checkpoint"]["dir"])
    if found is not None:
        step, d, manifest = found
        for key in ("model", "task"):
            if key in manifest and manifest[key] != cfg[key]:
                raise ConfigError("checkpoint %s was written with %s=%s but the config has %s=%s; use another "
                                  "checkpoint.dir or the same %s" % (d, key, json.dumps(manifest[key]), key,
                                                                     json.dumps(cfg[key]), key))
        state = ckpt.load_shard(d, manifest, info["rank"], device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"]["torch"].cpu())
        if device.type == "cuda" and state["rng"]["cuda"] is not None:
            torch.cuda.set_rng_state(state["rng"]["cuda"].cpu(), device)
        start_step, resumed = step, step

    raw_model = model
    if cfg["compile"]:
        if hasattr(torch.nn.Module, "compile"):
            for block in model.layers:
                block.compile()  # in place: state_dict keys stay the same as without compile
        elif rank0:
            sys.stderr.write("trainbench-workload: compile requested but torch %s has no Module.compile; running eager\n"
                             % torch.__version__)
    ddp = None
    if info["world_size"] > 1:
        kw = {"device_ids": [device.index]} if device.type == "cuda" else {}
        kw["gradient_as_bucket_view"] = True  # grads live in the all-reduce buckets: one copy less, less memory
        ddp = torch.nn.parallel.DistributedDataParallel(model, **kw)
        model = ddp
    use_bf16 = _bf16_ok(cfg, device)  # bf16 requested on a GPU without it falls back to fp32 (reported)
    gbs, seq, steps = cfg["global_batch"], cfg["seq_len"], cfg["steps"]
    cuda_events = cfg["cuda_event_timing"] and device.type == "cuda"

    attention_note = _attention(cfg, device, use_bf16)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)  # the step lines report the training peak, not set-up's
    if rank0:
        start = {"event": "start", "rank": 0, "world_size": info["world_size"], "device": device.type,
                 "dtype": "bf16" if use_bf16 else "fp32", "param_dtype": cfg["param_dtype"], "torch": torch.__version__,
                 "task": cfg["task"], "model": cfg["model"], "seq_len": seq, "global_batch": gbs,
                 "micro_batch": cfg["micro_batch"], "steps": steps, "params": params_total,
                 "trainable_params": trainable, "non_embedding_params": non_emb, "flops_per_token": flops,
                 "grad_accum": accum, "resumed_from": resumed, "time": time.time()}
        if cfg["report_checksums"]:
            start["frozen_checksum"] = frozen_checksum(raw_model)
        events.emit(start)
        if attention_note:
            events.emit(dict(attention_note, event="attention", time=time.time()))
    trainable_params = [p for p in raw_model.parameters() if p.requires_grad]
    status, completed, term = "completed", start_step, 0.0
    for step in range(start_step, steps):
        faults.fire(fault_list, step, info["rank"])
        lr = _lr(cfg, step)
        for group in opt.param_groups:
            group["lr"] = lr
        t0 = time.perf_counter()
        if cuda_events:
            ev0, ev1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            ev0.record()
        loss_sum = torch.zeros((), device=device)
        for micro in range(accum):
            inputs, labels = _batch(data, batch_indices(step, gbs, info["world_size"], info["rank"], micro,
                                                         cfg["micro_batch"]), cfg, device)
            sync = ddp is None or micro == accum - 1
            with (contextlib.nullcontext() if sync else ddp.no_sync()):
                with _autocast(device, use_bf16):
                    loss = model(inputs, labels, cfg["ce_chunk"])
                (loss / accum).backward()
            loss_sum += loss.detach().float()
        if cfg["grad_clip"] > 0:
            torch.nn.utils.clip_grad_norm_(trainable_params, cfg["grad_clip"])
        opt.step()
        opt.zero_grad(set_to_none=True)
        # One collective and one host sync per step: the mean loss and the ranks' signal flags travel together.
        # torch.full is a fill kernel: no host-to-device copy that could stall on the stream.
        stats = torch.stack([loss_sum / accum, torch.full((), float(sig.term), device=device),
                             torch.full((), float(sig.usr1), device=device)])
        if info["world_size"] > 1:
            dist.all_reduce(stats)
            stats[0] /= info["world_size"]
        if cuda_events:
            ev1.record()
        loss_val, term, usr1 = stats.tolist()
        step_time = time.perf_counter() - t0
        if rank0:
            peak, alloc = events.memory(device)
            events.print_line(events.step_line(step, steps, lr, gbs, peak, alloc, loss_val, step_time))
            ev = {"event": "step", "step": step, "time": time.time(), "step_time_s": step_time,
                  "loss": loss_val, "tokens": gbs * seq}
            if cuda_events:
                ev1.synchronize()
                ev["cuda_event_ms"] = ev0.elapsed_time(ev1)
            events.emit(ev)
        completed = step + 1
        every = cfg["checkpoint"]["every"]
        stop = term > 0 or usr1 > 0
        if cfg["checkpoint"]["dir"] and ((every and completed % every == 0) or stop):
            _save(cfg, info, device, raw_model, opt, completed)
        if stop:
            status = "preempted"
            if rank0:
                events.emit({"event": "preempted", "signal": "SIGTERM" if term > 0 else "SIGUSR1", "step": completed,
                             "checkpoint": ckpt.step_dir(cfg["checkpoint"]["dir"], completed)
                             if cfg["checkpoint"]["dir"] else None, "time": time.time()})
            break
    faults.fire(fault_list, None, info["rank"], at="done")
    if status == "completed":
        sig.finish(completed, info["rank"])  # from now on a signal only gets a log line
    if rank0:
        end = {"event": "end", "status": status, "steps": completed,
               "time": time.time()}
        if cfg["report_checksums"]:
            end["frozen_checksum"] = frozen_checksum(raw_model)
        events.emit(end)
    tdist.barrier(info, device)
    if info["world_size"] > 1:
        dist.destroy_process_group()
    return EXIT_SIGTERM if status == "preempted" and term > 0 else 0
