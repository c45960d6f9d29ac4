#!/usr/bin/env python3
"""PyTorch's side of `imagelab bench`: the same reference CNN, batch, optimizer and data.

conv 8×3×3 ReLU (padding same) → max-pool 2 → conv 16×3×3 ReLU → max-pool 2 → dense 10,
batch 64 of 28×28 grayscale built-in digits (www/data/digits.png), Adam (lr 0.003), the loss
read back every step (`loss.item()`), median ms of the timed steps after warm-up.

    python3 scripts/bench/torch_bench.py [--steps 50] [--warmup 5] [--devices cpu,cpu1,cuda]

`cpu` uses PyTorch's default thread count, `cpu1` one thread, `cuda` the first GPU.
Prints one line per device in the same columns as `imagelab bench`.
"""
import argparse
import os
import statistics
import time

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def digits():
    """The built-in digits as a (4000, 1, 28, 28) float tensor in [0, 1] and labels."""
    try:
        from PIL import Image
        import numpy as np
    except ImportError:
        g = torch.Generator().manual_seed(0)
        return torch.rand(4000, 1, 28, 28, generator=g), torch.randint(0, 10, (4000,), generator=g)
    sprite = np.asarray(Image.open(os.path.join(ROOT, "www/data/digits.png")).convert("L"), dtype=np.float32) / 255.0
    per_row = sprite.shape[1] // 28
    images = [sprite[(i // per_row) * 28:(i // per_row + 1) * 28, (i % per_row) * 28:(i % per_row + 1) * 28] for i in range(4000)]
    labels = np.frombuffer(open(os.path.join(ROOT, "www/data/digits.labels"), "rb").read(), dtype=np.uint8)
    return torch.tensor(np.stack(images)).unsqueeze(1), torch.tensor(labels[:4000].astype(np.int64))


def reference_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
    )


def bench(device, steps, warmup, batch, x, y):
    torch.manual_seed(42)
    model = reference_cnn().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    loss_fn = nn.CrossEntropyLoss()
    x, y = x.to(device), y.to(device)
    n = x.shape[0]
    times = []
    for i in range(warmup + steps):
        start = (i * batch) % (n - batch)
        xb, yb = x[start:start + batch], y[start:start + batch]
        t = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()  # the read-back, as the browser's lab does every step
        if i >= warmup:
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--devices", default="cpu,cpu1,cuda")
    a = ap.parse_args()
    x, y = digits()
    print(f"PyTorch {torch.__version__}: reference CNN, batch {a.batch_size} of 28×28, Adam, loss read every step")
    print(f"{'device':<8} {'detail':<48} {'ms/step':>10} {'steps/s':>10} {'steps':>8}")
    default_threads = torch.get_num_threads()
    for d in a.devices.split(","):
        if d == "cuda" and not torch.cuda.is_available():
            print(f"{'cuda':<8} {'(no CUDA device)':<48}")
            continue
        if d == "cpu1":
            torch.set_num_threads(1)
            detail, device = "PyTorch CPU, 1 thread", "cpu"
        elif d == "cpu":
            torch.set_num_threads(default_threads)
            detail, device = f"PyTorch CPU, {default_threads} threads", "cpu"
        else:
            detail, device = f"PyTorch {torch.cuda.get_device_name(0)}", "cuda"
        ms, n = bench(device, a.steps, a.warmup, a.batch_size, x, y)
        print(f"{'torch-' + d:<8} {detail[:48]:<48} {ms:>10.2f} {1000 / ms:>10.1f} {n:>8}")


if __name__ == "__main__":
    main()
