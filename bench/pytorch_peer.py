"""PyTorch peer for bench/engine-speed.ts: the same decoder-only transformer (ALGORITHMS.md)
and the same batch shape, trained with AdamW, timed per step on the CPU.

Follows the reference implementations: every position goes through every block and the
loss is taken at the last position. Prints one JSON line: median ms/step per thread count
(`pytorch_peer.py STEPS [THREADS…]`, default threads 1 2) and the BLAS kernel that ran.
"""
import ctypes
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.ln_2 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        x = self.ln_1(x)
        a, _ = self.attn(x, x, x, attn_mask=mask, need_weights=False)
        x = x + a
        return x + self.mlp(self.ln_2(x))


class Decoder(nn.Module):
    def __init__(self, vocab, seq, d=128, h=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(seq, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, x):  # x: [T, B]
        T = x.shape[0]
        h = self.tok(x) + self.pos(torch.arange(T)).unsqueeze(1)
        mask = torch.full((T, T), -float("inf")).triu(1)
        for b in self.blocks:
            h = b(h, mask)
        return self.head(self.ln_f(h))


def blas_kernel():
    """OpenBLAS's chosen core and config line, from the library torch loaded (or its path)."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and line.split()[-1].startswith("/")})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return "OpenBLAS core %s (%s; %s)" % (lib.openblas_get_corename().decode(), lib.openblas_get_config().decode(), path)
        except (OSError, AttributeError):
            continue
    return "not OpenBLAS: " + (", ".join(libs) or "no BLAS library mapped")


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    thread_counts = [int(t) for t in sys.argv[2:]] or [1, 2]
    p, batch, seq = 97, 512, 4
    vocab = p + 2
    out = {"torch": torch.__version__}
    for threads in thread_counts:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = Decoder(vocab, seq)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-8, weight_decay=1.0)
        x = torch.randint(0, p, (seq, batch))
        y = torch.randint(0, p, (batch,))
        times = []
        for i in range(steps + 5):
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x)[-1], y)
            loss.backward()
            opt.step()
            loss.item()
            if i >= 5:
                times.append((time.perf_counter() - t0) * 1000)
        out[f"threads{threads}"] = statistics.median(times)
    out["blas"] = blas_kernel()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
