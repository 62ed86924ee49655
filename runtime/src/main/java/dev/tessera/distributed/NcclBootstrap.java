package dev.tessera.distributed;

import static dev.tessera.bindings.mpi.mpi_h.*;

import dev.tessera.bindings.cuda.CudaErrors;
import dev.tessera.bindings.mpi.MpiLibrary;
import dev.tessera.bindings.nccl.nccl_h;
import dev.tessera.bindings.nccl.ncclUniqueId;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How every rank of an NCCL group gets the same ncclUniqueId (128 bytes) that rank 0 creates:
 * locally for one rank; through MPI_Bcast when Open MPI launched the job (MPI is initialised
 * here if needed, and finalised again at destroy); otherwise through the file named by
 * TESSERA_NCCL_ID_FILE on a file system every rank sees (rank 0 writes it atomically, the others
 * poll for it, TESSERA_NCCL_ID_TIMEOUT seconds, default 120). Use a fresh path per job: a file left
 * from an earlier job would hand its stale id to the other ranks (rank 0 deletes it at destroy).
 */
final class NcclBootstrap {
    static final String ID_FILE_ENV = "TESSERA_NCCL_ID_FILE";
    static final String TIMEOUT_ENV = "TESSERA_NCCL_ID_TIMEOUT";

    /** Whether MPI was initialised here for the exchange (then it is finalised at destroy). */
    final boolean mpiInitialisedHere;
    /** The id file rank 0 wrote, to delete at destroy; null otherwise. */
    final Path writtenFile;

    private NcclBootstrap(boolean mpiInitialisedHere, Path writtenFile) {
        this.mpiInitialisedHere = mpiInitialisedHere;
        this.writtenFile = writtenFile;
    }

    /** Whether Open MPI's launcher started this process (mpirun / scripts/launch). */
    static boolean underOpenMpi() { return System.getenv("OMPI_COMM_WORLD_SIZE") != null; }

    /** Fills {@code id} (ncclUniqueId's layout) with rank 0's id. */
    static NcclBootstrap exchange(MemorySegment id, int rank, int worldSize) {
        if (worldSize == 1) {
            CudaErrors.checkNccl(nccl_h.ncclGetUniqueId(id), "ncclGetUniqueId");
            return new NcclBootstrap(false, null);
        }
        if (underOpenMpi()) return new NcclBootstrap(overMpi(id, rank), null);
        String file = System.getenv(ID_FILE_ENV);
        if (file == null || file.isBlank()) {
            throw new DistributedException("initProcessGroup(\"nccl\") with world size " + worldSize + ": rank 0's NCCL id must reach "
                    + "every rank, but this process was not started by Open MPI's launcher (no OMPI_COMM_WORLD_SIZE) and "
                    + ID_FILE_ENV + " is not set; launch with scripts/launch, or set " + ID_FILE_ENV
                    + " to a fresh path on a file system all ranks share");
        }
        Path path = Path.of(file);
        if (rank == 0) {
            CudaErrors.checkNccl(nccl_h.ncclGetUniqueId(id), "ncclGetUniqueId");
            writeAtomically(path, id.toArray(ValueLayout.JAVA_BYTE));
            return new NcclBootstrap(false, path);
        }
        MemorySegment.copy(MemorySegment.ofArray(poll(path, rank, timeoutSeconds())), 0, id, 0, ncclUniqueId.layout().byteSize());
        return new NcclBootstrap(false, null);
    }

    /** Rank 0's id to every rank by MPI_Bcast; true when MPI was initialised here. */
    private static boolean overMpi(MemorySegment id, int rank) {
        MpiLibrary.lookup(); // names the missing libmpi
        boolean initialisedHere = false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(ValueLayout.JAVA_INT);
            MpiProcessGroup.check(MPI_Finalized(flag), "MPI_Finalized");
            if (flag.get(ValueLayout.JAVA_INT, 0) != 0) {
                throw new DistributedException("initProcessGroup(\"nccl\"): MPI, which shares the NCCL id between ranks, was already "
                        + "finalised in this process (destroyProcessGroup of an mpi group); MPI cannot be initialised again");
            }
            MpiProcessGroup.check(MPI_Initialized(flag), "MPI_Initialized");
            if (flag.get(ValueLayout.JAVA_INT, 0) == 0) {
                MemorySegment provided = a.allocate(ValueLayout.JAVA_INT);
                MpiProcessGroup.check(MPI_Init_thread(MemorySegment.NULL, MemorySegment.NULL, MPI_THREAD_SERIALIZED(), provided),
                        "MPI_Init_thread");
                initialisedHere = true;
            }
            MpiProcessGroup.check(MPI_Comm_set_errhandler(MPI_COMM_WORLD(), MPI_ERRORS_RETURN()), "MPI_Comm_set_errhandler");
            if (rank == 0) CudaErrors.checkNccl(nccl_h.ncclGetUniqueId(id), "ncclGetUniqueId");
            int bytes = (int) ncclUniqueId.layout().byteSize();
            MpiProcessGroup.check(MPI_Bcast(id, bytes, MPI_BYTE(), 0, MPI_COMM_WORLD()), "MPI_Bcast(ncclUniqueId)");
        }
        return initialisedHere;
    }

    static void writeAtomically(Path path, byte[] id) {
        Path dir = path.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, path.getFileName() + ".", ".tmp");
            Files.write(tmp, id);
            // readers see either no file or all 128 bytes
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DistributedException("rank 0 cannot write the NCCL id to " + ID_FILE_ENV + "=" + path + ": " + e, e);
        }
    }

    /** Rank {@code rank}'s wait for the id file rank 0 writes. */
    static byte[] poll(Path path, int rank, long timeoutSeconds) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        long expected = ncclUniqueId.layout().byteSize();
        while (true) {
            try {
                if (Files.isRegularFile(path) && Files.size(path) == expected) return Files.readAllBytes(path);
            } catch (IOException retry) {
                // the file may be replaced while we look; try again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new DistributedException("rank " + rank + " waited " + timeoutSeconds + " s for rank 0's NCCL id in " + ID_FILE_ENV
                        + "=" + path.toAbsolutePath() + " (" + expected + " bytes), which never appeared: is rank 0 running, and does "
                        + "every rank see the same file system? (" + TIMEOUT_ENV + " sets the wait)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DistributedException("interrupted while waiting for rank 0's NCCL id in " + path, e);
            }
        }
    }

    private static long timeoutSeconds() {
        String s = System.getenv(TIMEOUT_ENV);
        if (s == null || s.isBlank()) return 120;
        try {
            long v = Long.parseLong(s.trim());
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(TIMEOUT_ENV + " must be a positive number of seconds, got '" + s + "'");
    }

    /** Releases what the exchange set up: MPI if it was initialised here, rank 0's id file. */
    void close() {
        if (writtenFile != null) {
            try {
                Files.deleteIfExists(writtenFile);
            } catch (IOException ignored) {
                // a leftover id file only matters if the path is reused; the class comment says not to
            }
        }
        if (mpiInitialisedHere) {
            MpiProcessGroup.check(MPI_Barrier(MPI_COMM_WORLD()), "MPI_Barrier");
            MpiProcessGroup.check(MPI_Finalize(), "MPI_Finalize");
        }
    }
}
