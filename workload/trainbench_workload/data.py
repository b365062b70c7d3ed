"""Training samples addressed by global sample index, so data order is the same across restarts and world sizes.

A sample is seq_len+1 tokens; inputs are [:-1], labels [1:].
- mock: structured synthetic sequences a small model learns within tens of steps (repeated motifs and
  arithmetic progressions over a small alphabet), deterministic per (seed, sample index).
- megatron: Megatron-LM indexed dataset (.idx/.bin), documents concatenated and cut into windows.
"""
import os
import struct

import numpy as np

from . import DataError

_MAGIC = b"MMIDIDX\x00\x00"
_DTYPES = {1: np.uint8, 2: np.int8, 3: np.int16, 4: np.int32, 5: np.int64, 6: np.float64, 7: np.float32, 8: np.uint16}


class MockData:
    def __init__(self, seed, seq_len, vocab):
        self.seed, self.seq_len, self.vocab = seed, seq_len, vocab
        # A small alphabet makes the unigram distribution learnable at once; the structure comes after.
        self.alphabet = max(2, min(vocab, 64))

    def sample(self, index):
        rng = np.random.default_rng([self.seed, index])
        n = self.seq_len + 1
        if index % 2 == 0:
            period = int(rng.integers(2, 9))
            motif = rng.integers(0, self.alphabet, size=period)
            seq = np.resize(motif, n)
        else:
            start = int(rng.integers(0, self.alphabet))
            step = int(rng.integers(1, 8))
            seq = (start + step * np.arange(n)) % self.alphabet
        return seq.astype(np.int64)


def _fail(path, why):
    raise DataError("invalid Megatron index file %s: %s" % (path, why))


def read_index(idx_path, bin_size):
    """Parses and validates a Megatron .idx; returns (dtype, sizes, pointers)."""
    try:
        # Memory-mapped: a large corpus's index holds hundreds of MB of sizes and pointers.
        raw = np.memmap(idx_path, dtype=np.uint8, mode="r") if os.path.getsize(idx_path) else np.zeros(0, np.uint8)
    except OSError as e:
        raise DataError("cannot read Megatron index file %s: %s" % (idx_path, e.strerror))
    header = len(_MAGIC) + 8 + 1 + 8 + 8
    if len(raw) < header:
        _fail(idx_path, "file is %d bytes, shorter than the %d-byte header" % (len(raw), header))
    head = bytes(raw[:header])
    if head[:len(_MAGIC)] != _MAGIC:
        _fail(idx_path, "bad magic %r (expected %r)" % (head[:len(_MAGIC)], _MAGIC))
    off = len(_MAGIC)
    (version,) = struct.unpack_from("<Q", head, off)
    if version != 1:
        _fail(idx_path, "unsupported version %d (expected 1)" % version)
    code = head[off + 8]
    if code not in _DTYPES:
        _fail(idx_path, "unknown dtype code %d (known: %s)" % (code, sorted(_DTYPES)))
    seq_count, doc_count = struct.unpack_from("<QQ", head, off + 9)
    need = header + seq_count * 4 + seq_count * 8 + doc_count * 8
    if len(raw) < need:
        _fail(idx_path, "file is %d bytes but %d sequences and %d documents need %d" % (len(raw), seq_count, doc_count, need))
    sizes = raw[header:header + seq_count * 4].view("<i4").astype(np.int64)
    pointers = raw[header + seq_count * 4:header + seq_count * 12].view("<i8").astype(np.int64)
    dtype = np.dtype(_DTYPES[code]).newbyteorder("<")
    if seq_count and (sizes.min() < 0 or pointers.min() < 0):
        _fail(idx_path, "negative sequence size or pointer")
    ends = pointers + sizes * dtype.itemsize
    if seq_count and int(ends.max()) > bin_size:
        k = int(np.argmax(ends))
        _fail(idx_path, "sequence %d ends at byte %d but the .bin file is %d bytes" % (k, int(ends[k]), bin_size))
    return dtype, sizes, pointers


class MegatronData:
    def __init__(self, prefix, seed, seq_len, vocab):
        self.idx_path, self.bin_path = prefix + ".idx", prefix + ".bin"
        try:
            bin_size = os.path.getsize(self.bin_path)
        except OSError as e:
            raise DataError("cannot read Megatron data file %s: %s" % (self.bin_path, e.strerror))
        self.dtype, self.sizes, self.pointers = read_index(self.idx_path, bin_size)
        self.bin = np.memmap(self.bin_path, dtype=np.uint8, mode="r") if bin_size else np.zeros(0, np.uint8)
        self.cum = np.concatenate(([0], np.cumsum(self.sizes)))
        total = int(self.cum[-1])
        self.seq_len, self.seed, self.vocab = seq_len, seed, vocab
        # Windows of seq_len+1 tokens that overlap by one token, as Megatron's GPTDataset cuts them.
        self.windows = (total - 1) // seq_len if total > 1 else 0
        if self.windows < 1:
            raise DataError("Megatron dataset %s has %d tokens, fewer than seq_len+1 = %d" % (self.bin_path, total, seq_len + 1))
        self._perm_epoch, self._perm = -1, None

    def _tokens(self, start, count):
        out = np.empty(count, dtype=np.int64)
        doc = int(np.searchsorted(self.cum, start, side="right") - 1)
        filled = 0
        while filled < count:
            within = start + filled - int(self.cum[doc])
            take = min(int(self.sizes[doc]) - within, count - filled)
            if take > 0:
                first = int(self.pointers[doc]) + within * self.dtype.itemsize
                chunk = self.bin[first:first + take * self.dtype.itemsize].view(self.dtype)
                out[filled:filled + take] = chunk
                filled += take
            doc += 1
        return out

    def sample(self, index):
        # A seeded permutation per epoch: shuffled like Megatron, but a pure function of (seed, index).
        epoch, pos = divmod(index, self.windows)
        if epoch != self._perm_epoch:
            self._perm = np.random.default_rng([self.seed, epoch]).permutation(self.windows)
            self._perm_epoch = epoch
        window = int(self._perm[pos])
        seq = self._tokens(window * self.seq_len, self.seq_len + 1)
        bad = (seq < 0) | (seq >= self.vocab)
        if bad.any():
            raise DataError("Megatron dataset %s holds token id %d outside [0, model.vocab=%d)"
                            % (self.bin_path, int(seq[bad][0]), self.vocab))
        return seq


def make_dataset(cfg):
    d, m = cfg["data"], cfg["model"]
    if d["kind"] == "mock":
        return MockData(cfg["seed"], cfg["seq_len"], m["vocab"])
    return MegatronData(d["prefix"], cfg["seed"], cfg["seq_len"], m["vocab"])


def batch_indices(step, gbs, world, rank, micro, mb):
    """Global sample indices of micro-batch `micro` on `rank` at optimizer step `step`."""
    per_rank = gbs // world
    base = step * gbs + rank * per_rank + micro * mb
    return range(base, base + mb)
