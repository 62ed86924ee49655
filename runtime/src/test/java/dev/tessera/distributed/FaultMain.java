package dev.tessera.distributed;

import dev.tessera.Torch;

/** Rank 1 fails (throws, or exits) while rank 0 waits for it in a collective. */
public final class FaultMain {
    public static void main(String[] args) throws Exception {
        Distributed.initProcessGroup("mpi");
        Distributed.barrier();
        if (Distributed.rank() == 1) {
            Thread.sleep(500); // rank 0 is inside MPI_Allreduce by now
            if (args[0].equals("throw")) throw new IllegalStateException("rank 1 fails on purpose");
            System.out.println("rank 1 exits with status 3");
            System.out.flush();
            System.exit(3);
        }
        Distributed.allReduce(Torch.ones(1000));
        System.out.println("rank 0 finished a collective its peer never joined");
    }
}
