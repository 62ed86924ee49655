#!/usr/bin/env python3
"""PyTorch's side of dev.tessera.bench.ConvCpuProbe: conv2d 3x3 forward, and
aten.convolution_backward for the input gradient and for the weight gradient, at ResNet-18's four
stage shapes, on one thread, best-of CPU time (time.process_time) per call. Usage:
bench-conv-cpu.py [batch] [reps]. One thread is not PyTorch at its best: with one thread its
oneDNN picked far slower paths for some shapes (64 channels forward and backward-weights, 256 and
512 channels backward-weights at batch 1) in some runs, so compare those rows with care."""
import sys
import time

import torch


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    torch.set_num_threads(1)
    F = torch.nn.functional
    for c, s in ((64, 56), (128, 28), (256, 14), (512, 7)):
        x, w, g = torch.rand(batch, c, s, s), torch.rand(c, c, 3, 3) * 0.05, torch.rand(batch, c, s, s)
        bwd = lambda mask: torch.ops.aten.convolution_backward(g, x, w, None, [1, 1], [1, 1], [1, 1], False,
                                                               [0, 0], 1, mask)
        fns = {"fwd": lambda: F.conv2d(x, w, None, 1, 1), "bwdData": lambda: bwd([True, False, False]),
               "bwdW": lambda: bwd([False, True, False])}
        out = []
        with torch.no_grad():
            for name, fn in fns.items():
                for _ in range(5):
                    fn()
                best = float("inf")
                for _ in range(reps):
                    t = time.process_time()
                    fn()
                    best = min(best, time.process_time() - t)
                out.append("%s %.3f ms" % (name, best * 1e3))
        print("torch n%d c%3d: %s" % (batch, c, "  ".join(out)))


if __name__ == "__main__":
    sys.exit(main())
