"""One line on how fast each CPU of this machine runs one thread right now.

The VMs these benchmarks run on have shown vCPUs running the same single-threaded work up to 1.6x
apart for minutes at a time (README, "Performance"); a figure from such a minute says as much about
the host as about the code. Each CPU in turn (pinned with sched_setaffinity) runs a 256x256 float32
matmul in NumPy on one thread; the median of 30 (a shared core is slow most of the time, not in
one call) is printed per CPU with the slowest-to-fastest ratio.
"""
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402 (after the thread setting, which NumPy reads at import)


def median_ms(reps=30):
    a = np.random.default_rng(0).random((256, 256), dtype=np.float32)
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ a
        times.append(time.perf_counter() - t)
    return sorted(times)[reps // 2] * 1e3


def main():
    cpus = sorted(os.sched_getaffinity(0))
    times = {}
    for cpu in cpus:
        os.sched_setaffinity(0, {cpu})
        median_ms(5)  # settle on the new CPU
        times[cpu] = median_ms()
    os.sched_setaffinity(0, set(cpus))
    parts = ", ".join("cpu%d %.3f ms" % (c, t) for c, t in times.items())
    ratio = max(times.values()) / min(times.values())
    print("per-CPU speed (one thread, 256 matmul, median of 30): %s; slowest/fastest %.2f" % (parts, ratio))


if __name__ == "__main__":
    main()
