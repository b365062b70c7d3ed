"""Low-rank adapters on q/k/v/o and the MLP projections; base weights are frozen (requires_grad False)."""
import math

import torch
import torch.nn as nn

TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class LoRALinear(nn.Module):
    def __init__(self, base, rank, alpha):
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.lora_A = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))  # zero: training starts at the base model
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.t().to(x.dtype) @ self.lora_B.t().to(x.dtype)) * self.scale


def apply_lora(model, rank, alpha, seed):
    """Freezes every base parameter and wraps the target projections; adapters get their own seeded init so the
    base weights are identical to a pretrain run with the same seed."""
    for p in model.parameters():
        p.requires_grad_(False)
    gen_state = torch.get_rng_state()
    torch.manual_seed(seed + 1)
    for block in model.layers:
        for parent in (block.self_attn, block.mlp):
            for name in TARGETS:
                if hasattr(parent, name):
                    setattr(parent, name, LoRALinear(getattr(parent, name), rank, alpha))
    torch.set_rng_state(gen_state)


def frozen_checksum(model):
    """sha256 over the bytes of every frozen parameter (in module order): proves base weights did not move."""
    import hashlib
    digest = hashlib.sha256()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                digest.update(name.encode())
                digest.update(p.detach().float().cpu().numpy().tobytes())
    return digest.hexdigest()
