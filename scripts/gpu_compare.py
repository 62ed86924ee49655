"""PyTorch's half of scripts/gpu-check: the same GPU work as dev.tessera.bench.GpuCompareMain, printed
as CSV lines work,size,seconds (best of N after a warm-up, synchronised around every timed run)."""
import sys
import time

import torch

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def report(work, size, reps, fn):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    print(f"{work},{size},{best:.6f}", flush=True)


def resnet18():
    try:
        import torchvision
        return torchvision.models.resnet18()
    except ImportError:  # the GPU machine may have torch without torchvision: the same network, inline
        from torch import nn

        class Block(nn.Module):
            def __init__(self, cin, cout, stride):
                super().__init__()
                self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
                self.bn1 = nn.BatchNorm2d(cout)
                self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
                self.bn2 = nn.BatchNorm2d(cout)
                self.relu = nn.ReLU(inplace=True)
                self.downsample = None
                if stride != 1 or cin != cout:
                    self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

            def forward(self, x):
                idt = x if self.downsample is None else self.downsample(x)
                out = self.relu(self.bn1(self.conv1(x)))
                return self.relu(self.bn2(self.conv2(out)) + idt)

        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            layers += [Block(cin, cout, stride), Block(cout, cout, 1)]
            cin = cout
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000)]
        return nn.Sequential(*layers)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    dev = torch.device("cuda")
    for n in (4096, 8192):
        a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
        report("sgemm", n, reps, lambda: a @ b)
    n = 256 << 20
    x, y = torch.ones(n, device=dev), torch.ones(n, device=dev)
    report("add", n, reps, lambda: x + y)
    model = resnet18().to(dev)
    images = torch.randn(32, 3, 224, 224, device=dev)

    def step():
        model.zero_grad()
        model(images).sum().backward()

    report("resnet18_fwd_bwd", 32, max(3, reps // 2), step)


if __name__ == "__main__":
    main()
