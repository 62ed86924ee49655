"""The PyTorch side of scripts/bench-memory: torchvision's ResNet-18 training loop as MemoryMain
runs it (forward, MSE loss against a random target, backward, SGD with momentum) on 2 threads.
Prints each step's time and, at the end, the process's peak resident set (VmHWM)."""
import sys
import time

import torch
import torchvision


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 224
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 3, size, size)
    target = torch.randn(batch, 1000)
    for i in range(steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        (model(x) - target).pow(2).mean().backward()
        opt.step()
        print(f"step {i} ms {(time.perf_counter() - t0) * 1000:.0f}")
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(f"peak_rss_mb {hwm / 1024:.1f}")


if __name__ == "__main__":
    main()
