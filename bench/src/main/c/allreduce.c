/* The C baseline for scripts/bench-distributed: MPI_Allreduce (float, SUM, in place) at the sizes
 * given, timed as AllReduceBench times the Java call: warm-up, then the best of R rounds of K calls. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    for (int a = 1; a < argc; a++) {
        long bytes = atol(argv[a]);
        int n = (int) (bytes / 4);
        int iters = bytes <= 4096 ? 2000 : bytes <= (1 << 20) ? 200 : 10;
        float *buf = aligned_alloc(64, (size_t) n * 4 + 64);
        for (int i = 0; i < n; i++) buf[i] = (float) (i & 1023);
        double best = 1e30;
        int warm = bytes <= (1 << 20) ? 10 * iters : iters;
        for (int k = 0; k < warm; k++) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); /* as AllReduceBench */
        for (int round = 0; round < 6; round++) {
            MPI_Barrier(MPI_COMM_WORLD);
            double t0 = MPI_Wtime();
            for (int k = 0; k < iters; k++) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            double t = (MPI_Wtime() - t0) / iters;
            if (round > 0 && t < best) best = t; /* round 0 warms up */
        }
        if (rank == 0) printf("C %ld %.3f\n", bytes, best * 1e6);
        free(buf);
    }
    MPI_Finalize();
    return 0;
}
