"""The Python side of scripts/bench-coldstart: the same cold-start work as ColdStartMain, in this
(fresh) process. --lib numpy: the first 50 products of two 512x512 float32 matrices; --lib torch:
torchvision's ResNet-18 built, then its first 5 training steps at 8x3x224x224 (forward, MSE loss
against a random target, backward, SGD with momentum) on 2 threads. Prints
work,total_seconds,first_seconds,last_seconds. With --peak-rss (scripts/bench-memory), --steps
training steps at --batch x 3 x --size^2, printing "peak_rss_mb M" (VmHWM) at the end."""
import argparse
import time


def matmuls(count=50, n=512):
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return times


def resnet_steps(count=5, batch=8, size=224):
    import torch
    import torchvision
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 3, size, size)
    target = torch.randn(batch, 1000)
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = (model(x) - target).pow(2).mean()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    return times


def peak_rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lib", choices=["numpy", "torch"], required=True)
    p.add_argument("--peak-rss", action="store_true")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    args = p.parse_args()
    if args.peak_rss:
        resnet_steps(args.steps, args.batch, args.size)
        print(f"peak_rss_mb {peak_rss_mb():.1f}")
        return
    work, times = ("matmul", matmuls()) if args.lib == "numpy" else ("resnet18", resnet_steps())
    print(f"{work},{sum(times):.4f},{times[0]:.4f},{times[-1]:.4f}")


if __name__ == "__main__":
    main()
