// Generated layout: what `jextract` 22+ emits for the functions and globals listed in
// scripts/mpi-bindings.txt (see scripts/generate-mpi-bindings), trimmed to those used.
// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are macros taking the address of an
// exported global (OMPI_PREDEFINED_GLOBAL in mpi.h), which jextract cannot translate: they are
// written here as static methods returning those globals' addresses, under the C macro's name.
package dev.tessera.bindings.mpi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

@SuppressWarnings({"unused", "checkstyle:TypeName"})
public final class mpi_h {
    private mpi_h() {}

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    static final Linker LINKER = Linker.nativeLinker();

    static SymbolLookup symbols() { return MpiLibrary.lookup(); }

    static MemorySegment findOrThrow(String symbol) {
        return symbols().find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol in libmpi: " + symbol));
    }

    // ---- constants (mpi.h: #define / enum) -----------------------------------------------------

    private static final int MPI_SUCCESS = 0;
    public static int MPI_SUCCESS() { return MPI_SUCCESS; }
    private static final int MPI_THREAD_SINGLE = 0;
    public static int MPI_THREAD_SINGLE() { return MPI_THREAD_SINGLE; }
    private static final int MPI_THREAD_FUNNELED = 1;
    public static int MPI_THREAD_FUNNELED() { return MPI_THREAD_FUNNELED; }
    private static final int MPI_THREAD_SERIALIZED = 2;
    public static int MPI_THREAD_SERIALIZED() { return MPI_THREAD_SERIALIZED; }
    private static final int MPI_THREAD_MULTIPLE = 3;
    public static int MPI_THREAD_MULTIPLE() { return MPI_THREAD_MULTIPLE; }
    private static final int MPI_MAX_ERROR_STRING = 256;
    public static int MPI_MAX_ERROR_STRING() { return MPI_MAX_ERROR_STRING; }
    /** {@code ((void *) 1)} */
    public static MemorySegment MPI_IN_PLACE() { return MemorySegment.ofAddress(1L); }

    // ---- predefined handles: addresses of Open MPI's exported globals -------------------------

    private static final class ompi_mpi_comm_world$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_comm_world");
    }

    /** Address of {@code extern ompi_mpi_comm_world}. */
    public static MemorySegment ompi_mpi_comm_world$segment() { return ompi_mpi_comm_world$constants.SEGMENT; }

    /** {@code #define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_comm_world)} */
    public static MemorySegment MPI_COMM_WORLD() { return ompi_mpi_comm_world$constants.SEGMENT; }

    private static final class ompi_mpi_byte$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_byte");
    }

    /** Address of {@code extern ompi_mpi_byte}. */
    public static MemorySegment ompi_mpi_byte$segment() { return ompi_mpi_byte$constants.SEGMENT; }

    /** {@code #define MPI_BYTE OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_byte)} */
    public static MemorySegment MPI_BYTE() { return ompi_mpi_byte$constants.SEGMENT; }

    private static final class ompi_mpi_int32_t$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_int32_t");
    }

    /** Address of {@code extern ompi_mpi_int32_t}. */
    public static MemorySegment ompi_mpi_int32_t$segment() { return ompi_mpi_int32_t$constants.SEGMENT; }

    /** {@code #define MPI_INT32_T OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_int32_t)} */
    public static MemorySegment MPI_INT32_T() { return ompi_mpi_int32_t$constants.SEGMENT; }

    private static final class ompi_mpi_int64_t$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_int64_t");
    }

    /** Address of {@code extern ompi_mpi_int64_t}. */
    public static MemorySegment ompi_mpi_int64_t$segment() { return ompi_mpi_int64_t$constants.SEGMENT; }

    /** {@code #define MPI_INT64_T OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_int64_t)} */
    public static MemorySegment MPI_INT64_T() { return ompi_mpi_int64_t$constants.SEGMENT; }

    private static final class ompi_mpi_float$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_float");
    }

    /** Address of {@code extern ompi_mpi_float}. */
    public static MemorySegment ompi_mpi_float$segment() { return ompi_mpi_float$constants.SEGMENT; }

    /** {@code #define MPI_FLOAT OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_float)} */
    public static MemorySegment MPI_FLOAT() { return ompi_mpi_float$constants.SEGMENT; }

    private static final class ompi_mpi_double$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_double");
    }

    /** Address of {@code extern ompi_mpi_double}. */
    public static MemorySegment ompi_mpi_double$segment() { return ompi_mpi_double$constants.SEGMENT; }

    /** {@code #define MPI_DOUBLE OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_double)} */
    public static MemorySegment MPI_DOUBLE() { return ompi_mpi_double$constants.SEGMENT; }

    private static final class ompi_mpi_op_sum$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_op_sum");
    }

    /** Address of {@code extern ompi_mpi_op_sum}. */
    public static MemorySegment ompi_mpi_op_sum$segment() { return ompi_mpi_op_sum$constants.SEGMENT; }

    /** {@code #define MPI_SUM OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_op_sum)} */
    public static MemorySegment MPI_SUM() { return ompi_mpi_op_sum$constants.SEGMENT; }

    private static final class ompi_mpi_op_max$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_op_max");
    }

    /** Address of {@code extern ompi_mpi_op_max}. */
    public static MemorySegment ompi_mpi_op_max$segment() { return ompi_mpi_op_max$constants.SEGMENT; }

    /** {@code #define MPI_MAX OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_op_max)} */
    public static MemorySegment MPI_MAX() { return ompi_mpi_op_max$constants.SEGMENT; }

    private static final class ompi_mpi_op_min$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_op_min");
    }

    /** Address of {@code extern ompi_mpi_op_min}. */
    public static MemorySegment ompi_mpi_op_min$segment() { return ompi_mpi_op_min$constants.SEGMENT; }

    /** {@code #define MPI_MIN OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_op_min)} */
    public static MemorySegment MPI_MIN() { return ompi_mpi_op_min$constants.SEGMENT; }

    private static final class ompi_mpi_errors_return$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_errors_return");
    }

    /** Address of {@code extern ompi_mpi_errors_return}. */
    public static MemorySegment ompi_mpi_errors_return$segment() { return ompi_mpi_errors_return$constants.SEGMENT; }

    /** {@code #define MPI_ERRORS_RETURN OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_errors_return)} */
    public static MemorySegment MPI_ERRORS_RETURN() { return ompi_mpi_errors_return$constants.SEGMENT; }

    private static final class ompi_mpi_errors_are_fatal$constants {
        static final MemorySegment SEGMENT = findOrThrow("ompi_mpi_errors_are_fatal");
    }

    /** Address of {@code extern ompi_mpi_errors_are_fatal}. */
    public static MemorySegment ompi_mpi_errors_are_fatal$segment() { return ompi_mpi_errors_are_fatal$constants.SEGMENT; }

    /** {@code #define MPI_ERRORS_ARE_FATAL OMPI_PREDEFINED_GLOBAL(..., ompi_mpi_errors_are_fatal)} */
    public static MemorySegment MPI_ERRORS_ARE_FATAL() { return ompi_mpi_errors_are_fatal$constants.SEGMENT; }

    // ---- functions ---------------------------------------------------------------------------

    private static final class MPI_Init_thread {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Init_thread");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Init_thread$descriptor() { return MPI_Init_thread.DESC; }

    public static MethodHandle MPI_Init_thread$handle() { return MPI_Init_thread.HANDLE; }

    public static MemorySegment MPI_Init_thread$address() { return MPI_Init_thread.ADDR; }

    public static int MPI_Init_thread(MemorySegment argc, MemorySegment argv, int required, MemorySegment provided) {
        var mh$ = MPI_Init_thread.HANDLE;
        try {
            return (int) mh$.invokeExact(argc, argv, required, provided);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Initialized {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Initialized");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Initialized$descriptor() { return MPI_Initialized.DESC; }

    public static MethodHandle MPI_Initialized$handle() { return MPI_Initialized.HANDLE; }

    public static MemorySegment MPI_Initialized$address() { return MPI_Initialized.ADDR; }

    public static int MPI_Initialized(MemorySegment flag) {
        var mh$ = MPI_Initialized.HANDLE;
        try {
            return (int) mh$.invokeExact(flag);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Finalized {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Finalized");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Finalized$descriptor() { return MPI_Finalized.DESC; }

    public static MethodHandle MPI_Finalized$handle() { return MPI_Finalized.HANDLE; }

    public static MemorySegment MPI_Finalized$address() { return MPI_Finalized.ADDR; }

    public static int MPI_Finalized(MemorySegment flag) {
        var mh$ = MPI_Finalized.HANDLE;
        try {
            return (int) mh$.invokeExact(flag);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Finalize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT);
        public static final MemorySegment ADDR = findOrThrow("MPI_Finalize");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Finalize$descriptor() { return MPI_Finalize.DESC; }

    public static MethodHandle MPI_Finalize$handle() { return MPI_Finalize.HANDLE; }

    public static MemorySegment MPI_Finalize$address() { return MPI_Finalize.ADDR; }

    public static int MPI_Finalize() {
        var mh$ = MPI_Finalize.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Query_thread {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Query_thread");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Query_thread$descriptor() { return MPI_Query_thread.DESC; }

    public static MethodHandle MPI_Query_thread$handle() { return MPI_Query_thread.HANDLE; }

    public static MemorySegment MPI_Query_thread$address() { return MPI_Query_thread.ADDR; }

    public static int MPI_Query_thread(MemorySegment provided) {
        var mh$ = MPI_Query_thread.HANDLE;
        try {
            return (int) mh$.invokeExact(provided);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Comm_rank {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Comm_rank");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Comm_rank$descriptor() { return MPI_Comm_rank.DESC; }

    public static MethodHandle MPI_Comm_rank$handle() { return MPI_Comm_rank.HANDLE; }

    public static MemorySegment MPI_Comm_rank$address() { return MPI_Comm_rank.ADDR; }

    public static int MPI_Comm_rank(MemorySegment comm, MemorySegment rank) {
        var mh$ = MPI_Comm_rank.HANDLE;
        try {
            return (int) mh$.invokeExact(comm, rank);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Comm_size {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Comm_size");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Comm_size$descriptor() { return MPI_Comm_size.DESC; }

    public static MethodHandle MPI_Comm_size$handle() { return MPI_Comm_size.HANDLE; }

    public static MemorySegment MPI_Comm_size$address() { return MPI_Comm_size.ADDR; }

    public static int MPI_Comm_size(MemorySegment comm, MemorySegment size) {
        var mh$ = MPI_Comm_size.HANDLE;
        try {
            return (int) mh$.invokeExact(comm, size);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Comm_set_errhandler {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Comm_set_errhandler");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Comm_set_errhandler$descriptor() { return MPI_Comm_set_errhandler.DESC; }

    public static MethodHandle MPI_Comm_set_errhandler$handle() { return MPI_Comm_set_errhandler.HANDLE; }

    public static MemorySegment MPI_Comm_set_errhandler$address() { return MPI_Comm_set_errhandler.ADDR; }

    public static int MPI_Comm_set_errhandler(MemorySegment comm, MemorySegment errhandler) {
        var mh$ = MPI_Comm_set_errhandler.HANDLE;
        try {
            return (int) mh$.invokeExact(comm, errhandler);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Allreduce {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Allreduce");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Allreduce$descriptor() { return MPI_Allreduce.DESC; }

    public static MethodHandle MPI_Allreduce$handle() { return MPI_Allreduce.HANDLE; }

    public static MemorySegment MPI_Allreduce$address() { return MPI_Allreduce.ADDR; }

    public static int MPI_Allreduce(MemorySegment sendbuf, MemorySegment recvbuf, int count, MemorySegment datatype, MemorySegment op, MemorySegment comm) {
        var mh$ = MPI_Allreduce.HANDLE;
        try {
            return (int) mh$.invokeExact(sendbuf, recvbuf, count, datatype, op, comm);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Bcast {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Bcast");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Bcast$descriptor() { return MPI_Bcast.DESC; }

    public static MethodHandle MPI_Bcast$handle() { return MPI_Bcast.HANDLE; }

    public static MemorySegment MPI_Bcast$address() { return MPI_Bcast.ADDR; }

    public static int MPI_Bcast(MemorySegment buffer, int count, MemorySegment datatype, int root, MemorySegment comm) {
        var mh$ = MPI_Bcast.HANDLE;
        try {
            return (int) mh$.invokeExact(buffer, count, datatype, root, comm);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Allgather {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Allgather");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Allgather$descriptor() { return MPI_Allgather.DESC; }

    public static MethodHandle MPI_Allgather$handle() { return MPI_Allgather.HANDLE; }

    public static MemorySegment MPI_Allgather$address() { return MPI_Allgather.ADDR; }

    public static int MPI_Allgather(MemorySegment sendbuf, int sendcount, MemorySegment sendtype, MemorySegment recvbuf, int recvcount, MemorySegment recvtype, MemorySegment comm) {
        var mh$ = MPI_Allgather.HANDLE;
        try {
            return (int) mh$.invokeExact(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Reduce_scatter_block {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Reduce_scatter_block");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Reduce_scatter_block$descriptor() { return MPI_Reduce_scatter_block.DESC; }

    public static MethodHandle MPI_Reduce_scatter_block$handle() { return MPI_Reduce_scatter_block.HANDLE; }

    public static MemorySegment MPI_Reduce_scatter_block$address() { return MPI_Reduce_scatter_block.ADDR; }

    public static int MPI_Reduce_scatter_block(MemorySegment sendbuf, MemorySegment recvbuf, int recvcount, MemorySegment datatype, MemorySegment op, MemorySegment comm) {
        var mh$ = MPI_Reduce_scatter_block.HANDLE;
        try {
            return (int) mh$.invokeExact(sendbuf, recvbuf, recvcount, datatype, op, comm);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Barrier {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Barrier");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Barrier$descriptor() { return MPI_Barrier.DESC; }

    public static MethodHandle MPI_Barrier$handle() { return MPI_Barrier.HANDLE; }

    public static MemorySegment MPI_Barrier$address() { return MPI_Barrier.ADDR; }

    public static int MPI_Barrier(MemorySegment comm) {
        var mh$ = MPI_Barrier.HANDLE;
        try {
            return (int) mh$.invokeExact(comm);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Abort {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_INT);
        public static final MemorySegment ADDR = findOrThrow("MPI_Abort");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Abort$descriptor() { return MPI_Abort.DESC; }

    public static MethodHandle MPI_Abort$handle() { return MPI_Abort.HANDLE; }

    public static MemorySegment MPI_Abort$address() { return MPI_Abort.ADDR; }

    public static int MPI_Abort(MemorySegment comm, int errorcode) {
        var mh$ = MPI_Abort.HANDLE;
        try {
            return (int) mh$.invokeExact(comm, errorcode);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class MPI_Error_string {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(mpi_h.C_INT, mpi_h.C_INT, mpi_h.C_POINTER, mpi_h.C_POINTER);
        public static final MemorySegment ADDR = findOrThrow("MPI_Error_string");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor MPI_Error_string$descriptor() { return MPI_Error_string.DESC; }

    public static MethodHandle MPI_Error_string$handle() { return MPI_Error_string.HANDLE; }

    public static MemorySegment MPI_Error_string$address() { return MPI_Error_string.ADDR; }

    public static int MPI_Error_string(int errorcode, MemorySegment string, MemorySegment resultlen) {
        var mh$ = MPI_Error_string.HANDLE;
        try {
            return (int) mh$.invokeExact(errorcode, string, resultlen);
        } catch (Error | RuntimeException ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
