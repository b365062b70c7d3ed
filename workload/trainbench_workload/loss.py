"""Cross-entropy over the vocabulary: plain (full logits) or chunked (nnScaler's chunk_linear_cross_entropy idea).

The chunked variant never materialises [tokens, vocab] logits: it walks the tokens in chunks, and for each chunk
computes the logits, the loss and the gradients w.r.t. the hidden states and the output weight right away, so the
backward pass is a scale of stored gradients (no recomputation of the projection, unlike checkpointing per chunk).
"""
import torch
import torch.nn.functional as F

IGNORE = -100


def _compute_dtype(x):
    """The dtype autocast would run the projection in (torch>=2.4 API first, then the 1.13 one)."""
    dev = x.device.type
    try:
        if torch.is_autocast_enabled(dev):
            return torch.get_autocast_dtype(dev)
        return x.dtype
    except (TypeError, AttributeError):
        pass
    if dev == "cuda" and torch.is_autocast_enabled():
        return torch.get_autocast_gpu_dtype()
    if dev == "cpu" and torch.is_autocast_cpu_enabled():
        return torch.get_autocast_cpu_dtype()
    return x.dtype


class ChunkedLinearCE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, hidden, weight, labels, chunk, dtype):
        n = hidden.shape[0]
        valid_all = labels != IGNORE
        count = valid_all.sum().clamp(min=1).to(torch.float32)
        w = weight.to(dtype)
        want_w = weight.requires_grad
        grad_h = torch.empty_like(hidden)
        grad_w = torch.zeros(weight.shape, dtype=torch.float32, device=weight.device) if want_w else None
        loss = torch.zeros((), dtype=torch.float32, device=hidden.device)
        for start in range(0, n, chunk):
            h = hidden[start:start + chunk].to(dtype)
            lab = labels[start:start + chunk]
            valid = (lab != IGNORE)
            safe = lab.clamp(min=0)
            logits = (h @ w.t()).float()
            lse = torch.logsumexp(logits, dim=-1)
            target = logits.gather(1, safe[:, None]).squeeze(1)
            loss = loss + ((lse - target) * valid).sum()
            # d(mean loss)/d(logits) = (softmax - onehot) / count on valid rows
            g = torch.exp(logits - lse[:, None])
            g.scatter_add_(1, safe[:, None], -torch.ones_like(target)[:, None])
            g = (g * (valid.float() / count)[:, None]).to(dtype)
            grad_h[start:start + chunk] = (g @ w).to(hidden.dtype)
            if want_w:
                grad_w += (g.t() @ h).float()
        ctx.save_for_backward(grad_h, grad_w if want_w else torch.empty(0))
        ctx.want_w = want_w
        ctx.weight_dtype = weight.dtype
        return loss / count

    @staticmethod
    def backward(ctx, grad_out):
        grad_h, grad_w = ctx.saved_tensors
        gw = (grad_w * grad_out).to(ctx.weight_dtype) if ctx.want_w else None
        return grad_h * grad_out.to(grad_h.dtype), gw, None, None, None


def lm_loss(hidden, lm_head_weight, labels, chunk=0):
    """Mean next-token loss over labels != -100. hidden: [b, s, h]; labels: [b, s]."""
    h = hidden.reshape(-1, hidden.shape[-1])
    lab = labels.reshape(-1)
    if chunk and chunk > 0:
        return ChunkedLinearCE.apply(h, lm_head_weight, lab, chunk, _compute_dtype(hidden))
    logits = F.linear(h, lm_head_weight).float()
    return F.cross_entropy(logits, lab, ignore_index=IGNORE)
