"""Causal attention for the decoder, with a choice of PyTorch's fused kernels.

``sdpa`` leaves the choice to ``scaled_dot_product_attention``; ``flash``, ``cudnn``, ``efficient`` and ``math`` pin
one backend (torch >= 2.3, CUDA); ``tune`` times the CUDA backends once at the run's own shape and keeps the fastest,
as ``cudnn.benchmark`` does for convolutions. On Hopper the cuDNN kernel can beat flash attention 2, but only flash
reads grouped KV heads without copying them, so the answer depends on the shape: measure it, do not guess.
torch 1.13 (Debian's CPU build) has no SDPA: an explicit causal softmax is used there.
"""
import math

import torch
import torch.nn.functional as F

_SDPA = getattr(F, "scaled_dot_product_attention", None)
_TUNED = ("flash", "cudnn", "efficient")
_choice = {"backend": "sdpa"}


def _probe_enable_gqa():
    # enable_gqa (torch>=2.5) lets SDPA read the shared KV heads without materialising repeats.
    if _SDPA is None:
        return False
    try:
        q = torch.zeros(1, 2, 2, 4)
        kv = torch.zeros(1, 1, 2, 4)
        _SDPA(q, kv, kv, is_causal=True, enable_gqa=True)
        return True
    except (TypeError, RuntimeError):
        return False


_ENABLE_GQA = _probe_enable_gqa()


def _kernel(backend):
    """Context manager pinning one SDPA backend, or None where this torch cannot pin it."""
    try:
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except ImportError:
        return None
    name = {"flash": "FLASH_ATTENTION", "cudnn": "CUDNN_ATTENTION", "efficient": "EFFICIENT_ATTENTION",
            "math": "MATH"}[backend]
    member = getattr(SDPBackend, name, None)
    return sdpa_kernel([member]) if member is not None else None


def _sdpa(q, k, v, n_rep, backend):
    # Only the flash and math kernels take grouped KV heads; the others need them repeated.
    gqa = n_rep > 1 and _ENABLE_GQA and backend in ("sdpa", "flash", "math")
    if n_rep > 1 and not gqa:
        k = k.repeat_interleave(n_rep, dim=1)
        v = v.repeat_interleave(n_rep, dim=1)
    kw = {"enable_gqa": True} if gqa else {}  # torch < 2.5 has no enable_gqa argument at all
    if backend == "sdpa":
        return _SDPA(q, k, v, is_causal=True, **kw)
    ctx = _kernel(backend)
    if ctx is None:
        raise RuntimeError("attention backend %s needs torch.nn.attention.sdpa_kernel (torch >= 2.3)" % backend)
    with ctx:
        return _SDPA(q, k, v, is_causal=True, **kw)


def _explicit(q, k, v, n_rep):
    # torch 1.13: explicit causal attention; softmax in fp32 (CPU autocast keeps it in bf16 otherwise).
    if n_rep > 1:
        k = k.repeat_interleave(n_rep, dim=1)
        v = v.repeat_interleave(n_rep, dim=1)
    s = q.shape[-2]
    scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))
    mask = torch.ones(s, s, dtype=torch.bool, device=q.device).triu(1)
    scores = scores.float().masked_fill(mask, float("-inf"))
    probs = torch.softmax(scores, dim=-1).to(v.dtype)
    return torch.matmul(probs, v)


def attention(q, k, v, n_rep):
    """q: [b, heads, s, d]; k, v: [b, kv_heads, s, d]; causal."""
    if _SDPA is None:
        return _explicit(q, k, v, n_rep)
    return _sdpa(q, k, v, n_rep, _choice["backend"])


def configure(backend, device):
    """Sets the backend for this process. Pinned backends and ``tune`` apply on CUDA only; elsewhere ``sdpa``."""
    if _SDPA is None or device.type != "cuda" or backend == "tune":
        _choice["backend"] = "sdpa"
    else:
        _choice["backend"] = backend
    return _choice["backend"]


def _time_backend(backend, shape, kv_heads, dtype, device, reps):
    b, heads, s, d = shape
    q = torch.randn(b, heads, s, d, device=device, dtype=dtype, requires_grad=True)
    k = torch.randn(b, kv_heads, s, d, device=device, dtype=dtype, requires_grad=True)
    v = torch.randn(b, kv_heads, s, d, device=device, dtype=dtype, requires_grad=True)
    grad = torch.randn(b, heads, s, d, device=device, dtype=dtype)
    n_rep = heads // kv_heads
    for _ in range(2):  # warm-up: kernel selection, workspace allocation
        _sdpa(q, k, v, n_rep, backend).backward(grad)
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        _sdpa(q, k, v, n_rep, backend).backward(grad)
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / reps


def tune(shape, kv_heads, dtype, device, reps=5):
    """Times forward+backward of each CUDA backend at ``shape`` = (micro_batch, heads, seq, head_dim) and keeps the
    fastest. Returns {"backend": name, "ms": {backend: ms or error text}}; a backend that cannot run is skipped."""
    times = {}
    for backend in _TUNED:
        try:
            times[backend] = round(_time_backend(backend, shape, kv_heads, dtype, device, reps), 4)
        except RuntimeError as e:  # no kernel for this shape/dtype/GPU
            times[backend] = "unavailable: %s" % str(e).splitlines()[0][:160]
        torch.cuda.empty_cache()
    usable = {k: v for k, v in times.items() if isinstance(v, float)}
    _choice["backend"] = min(usable, key=usable.get) if usable else "sdpa"
    return {"backend": _choice["backend"], "ms": times}
