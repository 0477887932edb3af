"""PyTorch peer for bench/neuralgrok-speed.ts: NeuralGrok's inner and meta step on the same
model, batch, outer split and amplifier widths, on the CPU.

The amplifier is the reference's NeuralAmplifier (an MLP 1 → hidden… → 1 with ReLU, applied
to every gradient component; per parameter tensor w = softmax(scores), g' = c·w⊙g/‖w⊙g‖),
the inner step clips at 1 and takes Adam (coupled wd 1e-3), and every T steps the meta step
recomputes the minibatch gradient at the updated weights, forms θ' = θ − η·G_φ(g), takes the
outer cross-entropy at θ' (torch.func.functional_call) and steps φ with Adam. Prints one
JSON line: median ms per step (averaged over whole T-step cycles) per width setting.

    python3 bench/neuralgrok_peer.py CYCLES THREADS HIDDEN[;HIDDEN…]   e.g. 3 1 "128,128;32,32"
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
try:
    from torch.func import functional_call
except ImportError:  # torch < 2.0 (Debian 12 ships 1.13)
    from torch.nn.utils.stateless import functional_call

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pytorch_peer import Decoder  # noqa: E402  (the same model as the AdamW peer)


class NeuralAmplifier(nn.Module):
    def __init__(self, hidden, c=0.2):
        super().__init__()
        widths = [1, *hidden, 1]
        layers = []
        for i in range(len(widths) - 1):
            layers.append(nn.Linear(widths[i], widths[i + 1]))
            if i + 2 < len(widths):
                layers.append(nn.ReLU())
        self.mlp = nn.Sequential(*layers)
        self.c = c

    def forward(self, grad):  # one parameter tensor's gradient
        g = grad.reshape(-1, 1)
        w = torch.softmax(self.mlp(g), dim=0)
        out = self.c * w * g / torch.norm(w * g)
        return out.reshape(grad.shape)


def main():
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    settings = [[int(x) for x in h.split(",")] for h in (sys.argv[3] if len(sys.argv) > 3 else "128,128").split(";")]
    torch.set_num_threads(threads)
    p, batch, seq, outer_rows, T, lr = 97, 512, 4, 93, 4, 1e-3
    out = {"torch": torch.__version__, "threads": threads}
    for hidden in settings:
        torch.manual_seed(0)
        model = Decoder(p + 2, seq)
        amp = NeuralAmplifier(hidden)
        opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.98), eps=1e-8, weight_decay=1e-3)
        meta_opt = torch.optim.Adam(amp.parameters(), lr=1e-4, betas=(0.9, 0.98), weight_decay=1e-3)
        x = torch.randint(0, p, (seq, batch))
        y = torch.randint(0, p, (batch,))
        xo = torch.randint(0, p, (seq, outer_rows))
        yo = torch.randint(0, p, (outer_rows,))
        params = dict(model.named_parameters())

        def minibatch_grads():
            loss = F.cross_entropy(model(x)[-1], y)
            return torch.autograd.grad(loss, list(params.values()))

        def step(k):
            grads = minibatch_grads()
            with torch.no_grad():
                amplified = [amp(g) for g in grads]
                total = torch.sqrt(sum((a * a).sum() for a in amplified))
                scale = min(1.0, 1.0 / float(total))
                for prm, a in zip(params.values(), amplified):
                    prm.grad = a * scale
            opt.step()
            if k % T == 0:  # the meta step, after the inner update, on the same minibatch
                grads = [g.detach() for g in minibatch_grads()]
                virtual = {n: prm.detach() - lr * amp(g) for (n, prm), g in zip(params.items(), grads)}
                outer = F.cross_entropy(functional_call(model, virtual, (xo,))[-1], yo)
                meta_opt.zero_grad(set_to_none=True)
                outer.backward()
                meta_opt.step()

        for k in range(1, T + 1):  # warm-up cycle
            step(k)
        times = []
        for _ in range(cycles):
            t0 = time.perf_counter()
            for k in range(1, T + 1):
                step(k)
            times.append((time.perf_counter() - t0) * 1000 / T)
        out[",".join(map(str, hidden))] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
