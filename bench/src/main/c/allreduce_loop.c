/* The C baseline inside the Java process, for scripts/bench-distributed: AllReduceBench calls
 * allreduce_loop through FFM, interleaved with its own loop, so both run with the same rank
 * placement (which moves a 4 KB all-reduce between 0.85 and 3 us from one mpirun to the next).
 * Returns the mean microseconds per MPI_Allreduce (float, SUM, in place) over iters calls. */
#include <mpi.h>

double allreduce_loop(float *buf, int n, int iters) {
    double t0 = MPI_Wtime();
    for (int k = 0; k < iters; k++) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    return (MPI_Wtime() - t0) / iters * 1e6;
}
