"""Llama-architecture decoder: RMSNorm, RoPE, grouped-query attention, SwiGLU MLP, untied embedding/output.

Plain PyTorch, compatible with torch 1.13 (manual attention) and 2.x (scaled_dot_product_attention, flash on GPU).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import attention


_RMS_NORM = getattr(F, "rms_norm", None)  # torch >= 2.4; one fused kernel on CUDA in recent releases


class RMSNorm(nn.Module):
    def __init__(self, dim, eps, fused=False):
        super().__init__()
        self.eps = eps
        self.fused = fused and _RMS_NORM is not None
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        if self.fused:
            # torch's rms_norm normalises in fp32 and casts back as the explicit form below does; outside autocast,
            # which would otherwise cast a bf16 input up to fp32 first and hand fp32 on to the next matmul.
            with torch.autocast(device_type=x.device.type, enabled=False):
                return _RMS_NORM(x, (x.shape[-1],), self.weight.type_as(x), self.eps)
        # Normalise in fp32 for stability under bf16, as Llama does.
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return xf.type_as(x) * self.weight.type_as(x)


def rope_tables(seq_len, head_dim, theta, device):
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim))
    freqs = torch.outer(torch.arange(seq_len, device=device, dtype=torch.float32), inv)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def _rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x, cos, sin):
    # x: [b, heads, s, d]; cos/sin: [s, d]
    return x * cos.type_as(x) + _rotate_half(x) * sin.type_as(x)


class Attention(nn.Module):
    def __init__(self, hidden, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)

    def forward(self, x, cos, sin):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        out = attention(q, k, v, self.heads // self.kv_heads)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class MLP(nn.Module):
    def __init__(self, hidden, ffn):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, ffn, bias=False)
        self.up_proj = nn.Linear(hidden, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, m, fused_norm=False):
        super().__init__()
        self.input_layernorm = RMSNorm(m["hidden"], m["norm_eps"], fused_norm)
        self.self_attn = Attention(m["hidden"], m["heads"], m["kv_heads"])
        self.post_attention_layernorm = RMSNorm(m["hidden"], m["norm_eps"], fused_norm)
        self.mlp = MLP(m["hidden"], m["ffn"])

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    """Returns final hidden states; the loss (full or chunked cross-entropy) applies ``lm_head`` itself."""

    def __init__(self, m, activation_checkpointing=False, fused_norm=False):
        super().__init__()
        self.cfg = m
        self.activation_checkpointing = activation_checkpointing
        self.embed_tokens = nn.Embedding(m["vocab"], m["hidden"])
        self.layers = nn.ModuleList([Block(m, fused_norm) for _ in range(m["layers"])])
        self.norm = RMSNorm(m["hidden"], m["norm_eps"], fused_norm)
        self.lm_head = nn.Linear(m["hidden"], m["vocab"], bias=False)
        self._rope = None
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, mean=0.0, std=0.02)

    def _tables(self, seq_len, device):
        if self._rope is None or self._rope[0].shape[0] < seq_len or self._rope[0].device != device:
            self._rope = rope_tables(seq_len, self.cfg["hidden"] // self.cfg["heads"], self.cfg["rope_theta"], device)
        return self._rope[0][:seq_len], self._rope[1][:seq_len]

    def forward(self, tokens, labels=None, ce_chunk=0):
        """Hidden states, or the mean loss when labels are given (inside forward, so DDP/compile see all of it)."""
        cos, sin = self._tables(tokens.shape[1], tokens.device)
        x = self.embed_tokens(tokens)
        for layer in self.layers:
            if self.activation_checkpointing and self.training:
                from torch.utils.checkpoint import checkpoint
                x = checkpoint(layer, x, cos, sin, use_reentrant=False)
            else:
                x = layer(x, cos, sin)
        x = self.norm(x)
        if labels is None:
            return x
        from .loss import lm_loss
        return lm_loss(x, self.lm_head.weight, labels, ce_chunk)


def count_params(model):
    """Counts from the actual parameter shapes. Non-embedding = everything except the input embedding table
    (lm_head is a real matmul per token and is counted, as in the 6N MFU convention)."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    embedding = model.embed_tokens.weight.numel()
    return total, trainable, total - embedding


def flops_per_token(model, seq_len):
    m = model.cfg
    _total, _trainable, non_emb = count_params(model)
    return 6 * non_emb + 12 * m["layers"] * m["hidden"] * seq_len
