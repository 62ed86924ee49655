// Hand-kept in the layout jextract 22 generates for nccl.h (see scripts/generate-bindings and
// bindings/jextract/nccl.txt); the differences from jextract's output are listed there.
package dev.tessera.bindings.nccl;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.tessera.bindings.cuda.CudaLibrary;
import dev.tessera.bindings.cuda.Downcalls;

/** NCCL (libnccl): the functions, enum values and macros Tessera uses. */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class nccl_h {

    nccl_h() {
        // Should not be called directly
    }

    /** The library whose symbols this class binds; loaded on the first call, never at class load. */
    public static final CudaLibrary LIBRARY = CudaLibrary.NCCL;

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    /** The symbol's address, or NULL when the library or the symbol is missing (the handle then throws). */
    static MemorySegment findOrNull(String symbol) {
        return Downcalls.find(LIBRARY, symbol);
    }

    static MethodHandle downcallHandle(String symbol, MemorySegment address, FunctionDescriptor desc) {
        return Downcalls.handle(LIBRARY, symbol, address, desc);
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    private static class ncclGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclGetVersion");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetVersion(int *version)
     * }
     */
    public static FunctionDescriptor ncclGetVersion$descriptor() {
        return ncclGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetVersion(int *version)
     * }
     */
    public static MethodHandle ncclGetVersion$handle() {
        return ncclGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetVersion(int *version)
     * }
     */
    public static MemorySegment ncclGetVersion$address() {
        return ncclGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclGetVersion(int *version)
     * }
     */
    public static int ncclGetVersion(MemorySegment version) {
        var mh$ = ncclGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclGetVersion", version);
            }
            return (int) mh$.invokeExact(version);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclGetUniqueId {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclGetUniqueId");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclGetUniqueId", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId)
     * }
     */
    public static FunctionDescriptor ncclGetUniqueId$descriptor() {
        return ncclGetUniqueId.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId)
     * }
     */
    public static MethodHandle ncclGetUniqueId$handle() {
        return ncclGetUniqueId.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId)
     * }
     */
    public static MemorySegment ncclGetUniqueId$address() {
        return ncclGetUniqueId.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId)
     * }
     */
    public static int ncclGetUniqueId(MemorySegment uniqueId) {
        var mh$ = ncclGetUniqueId.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclGetUniqueId", uniqueId);
            }
            return (int) mh$.invokeExact(uniqueId);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclCommInitRank {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_INT,
            ncclUniqueId.layout(),
            nccl_h.C_INT
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclCommInitRank");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclCommInitRank", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank)
     * }
     */
    public static FunctionDescriptor ncclCommInitRank$descriptor() {
        return ncclCommInitRank.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank)
     * }
     */
    public static MethodHandle ncclCommInitRank$handle() {
        return ncclCommInitRank.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank)
     * }
     */
    public static MemorySegment ncclCommInitRank$address() {
        return ncclCommInitRank.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank)
     * }
     */
    public static int ncclCommInitRank(MemorySegment comm, int nranks, MemorySegment commId, int rank) {
        var mh$ = ncclCommInitRank.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclCommInitRank", comm, nranks, commId, rank);
            }
            return (int) mh$.invokeExact(comm, nranks, commId, rank);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclCommDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclCommDestroy");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclCommDestroy", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommDestroy(ncclComm_t comm)
     * }
     */
    public static FunctionDescriptor ncclCommDestroy$descriptor() {
        return ncclCommDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommDestroy(ncclComm_t comm)
     * }
     */
    public static MethodHandle ncclCommDestroy$handle() {
        return ncclCommDestroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommDestroy(ncclComm_t comm)
     * }
     */
    public static MemorySegment ncclCommDestroy$address() {
        return ncclCommDestroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclCommDestroy(ncclComm_t comm)
     * }
     */
    public static int ncclCommDestroy(MemorySegment comm) {
        var mh$ = ncclCommDestroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclCommDestroy", comm);
            }
            return (int) mh$.invokeExact(comm);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclCommGetAsyncError {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclCommGetAsyncError");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclCommGetAsyncError", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)
     * }
     */
    public static FunctionDescriptor ncclCommGetAsyncError$descriptor() {
        return ncclCommGetAsyncError.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)
     * }
     */
    public static MethodHandle ncclCommGetAsyncError$handle() {
        return ncclCommGetAsyncError.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)
     * }
     */
    public static MemorySegment ncclCommGetAsyncError$address() {
        return ncclCommGetAsyncError.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)
     * }
     */
    public static int ncclCommGetAsyncError(MemorySegment comm, MemorySegment asyncError) {
        var mh$ = ncclCommGetAsyncError.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclCommGetAsyncError", comm, asyncError);
            }
            return (int) mh$.invokeExact(comm, asyncError);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclAllReduce {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER,
            nccl_h.C_LONG,
            nccl_h.C_INT,
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclAllReduce");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclAllReduce", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor ncclAllReduce$descriptor() {
        return ncclAllReduce.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MethodHandle ncclAllReduce$handle() {
        return ncclAllReduce.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MemorySegment ncclAllReduce$address() {
        return ncclAllReduce.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static int ncclAllReduce(MemorySegment sendbuff, MemorySegment recvbuff, long count, int datatype, int op, MemorySegment comm, MemorySegment stream) {
        var mh$ = ncclAllReduce.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclAllReduce", sendbuff, recvbuff, count, datatype, op, comm, stream);
            }
            return (int) mh$.invokeExact(sendbuff, recvbuff, count, datatype, op, comm, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclBroadcast {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER,
            nccl_h.C_LONG,
            nccl_h.C_INT,
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclBroadcast");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclBroadcast", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor ncclBroadcast$descriptor() {
        return ncclBroadcast.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MethodHandle ncclBroadcast$handle() {
        return ncclBroadcast.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MemorySegment ncclBroadcast$address() {
        return ncclBroadcast.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclBroadcast(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static int ncclBroadcast(MemorySegment sendbuff, MemorySegment recvbuff, long count, int datatype, int root, MemorySegment comm, MemorySegment stream) {
        var mh$ = ncclBroadcast.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclBroadcast", sendbuff, recvbuff, count, datatype, root, comm, stream);
            }
            return (int) mh$.invokeExact(sendbuff, recvbuff, count, datatype, root, comm, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclAllGather {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER,
            nccl_h.C_LONG,
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclAllGather");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclAllGather", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor ncclAllGather$descriptor() {
        return ncclAllGather.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MethodHandle ncclAllGather$handle() {
        return ncclAllGather.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MemorySegment ncclAllGather$address() {
        return ncclAllGather.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static int ncclAllGather(MemorySegment sendbuff, MemorySegment recvbuff, long sendcount, int datatype, MemorySegment comm, MemorySegment stream) {
        var mh$ = ncclAllGather.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclAllGather", sendbuff, recvbuff, sendcount, datatype, comm, stream);
            }
            return (int) mh$.invokeExact(sendbuff, recvbuff, sendcount, datatype, comm, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclReduceScatter {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER,
            nccl_h.C_LONG,
            nccl_h.C_INT,
            nccl_h.C_INT,
            nccl_h.C_POINTER,
            nccl_h.C_POINTER
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclReduceScatter");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclReduceScatter", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor ncclReduceScatter$descriptor() {
        return ncclReduceScatter.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MethodHandle ncclReduceScatter$handle() {
        return ncclReduceScatter.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static MemorySegment ncclReduceScatter$address() {
        return ncclReduceScatter.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
     * }
     */
    public static int ncclReduceScatter(MemorySegment sendbuff, MemorySegment recvbuff, long recvcount, int datatype, int op, MemorySegment comm, MemorySegment stream) {
        var mh$ = ncclReduceScatter.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclReduceScatter", sendbuff, recvbuff, recvcount, datatype, op, comm, stream);
            }
            return (int) mh$.invokeExact(sendbuff, recvbuff, recvcount, datatype, op, comm, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclGroupStart {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclGroupStart");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclGroupStart", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupStart(void)
     * }
     */
    public static FunctionDescriptor ncclGroupStart$descriptor() {
        return ncclGroupStart.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupStart(void)
     * }
     */
    public static MethodHandle ncclGroupStart$handle() {
        return ncclGroupStart.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupStart(void)
     * }
     */
    public static MemorySegment ncclGroupStart$address() {
        return ncclGroupStart.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclGroupStart(void)
     * }
     */
    public static int ncclGroupStart() {
        var mh$ = ncclGroupStart.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclGroupStart");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclGroupEnd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_INT
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclGroupEnd");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclGroupEnd", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupEnd(void)
     * }
     */
    public static FunctionDescriptor ncclGroupEnd$descriptor() {
        return ncclGroupEnd.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupEnd(void)
     * }
     */
    public static MethodHandle ncclGroupEnd$handle() {
        return ncclGroupEnd.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * ncclResult_t ncclGroupEnd(void)
     * }
     */
    public static MemorySegment ncclGroupEnd$address() {
        return ncclGroupEnd.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ncclResult_t ncclGroupEnd(void)
     * }
     */
    public static int ncclGroupEnd() {
        var mh$ = ncclGroupEnd.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclGroupEnd");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ncclGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nccl_h.C_POINTER,
            nccl_h.C_INT
        );

        public static final MemorySegment ADDR = nccl_h.findOrNull("ncclGetErrorString");

        public static final MethodHandle HANDLE = nccl_h.downcallHandle("ncclGetErrorString", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * ncclGetErrorString(ncclResult_t result)
     * }
     */
    public static FunctionDescriptor ncclGetErrorString$descriptor() {
        return ncclGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * ncclGetErrorString(ncclResult_t result)
     * }
     */
    public static MethodHandle ncclGetErrorString$handle() {
        return ncclGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * ncclGetErrorString(ncclResult_t result)
     * }
     */
    public static MemorySegment ncclGetErrorString$address() {
        return ncclGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * ncclGetErrorString(ncclResult_t result)
     * }
     */
    public static MemorySegment ncclGetErrorString(int result) {
        var mh$ = ncclGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("ncclGetErrorString", result);
            }
            return (MemorySegment) mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int ncclSuccess = (int)0L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclSuccess = 0
     * }
     */
    public static int ncclSuccess() {
        return ncclSuccess;
    }

    private static final int ncclUnhandledCudaError = (int)1L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclUnhandledCudaError = 1
     * }
     */
    public static int ncclUnhandledCudaError() {
        return ncclUnhandledCudaError;
    }

    private static final int ncclSystemError = (int)2L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclSystemError = 2
     * }
     */
    public static int ncclSystemError() {
        return ncclSystemError;
    }

    private static final int ncclInternalError = (int)3L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclInternalError = 3
     * }
     */
    public static int ncclInternalError() {
        return ncclInternalError;
    }

    private static final int ncclInvalidArgument = (int)4L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclInvalidArgument = 4
     * }
     */
    public static int ncclInvalidArgument() {
        return ncclInvalidArgument;
    }

    private static final int ncclInvalidUsage = (int)5L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclInvalidUsage = 5
     * }
     */
    public static int ncclInvalidUsage() {
        return ncclInvalidUsage;
    }

    private static final int ncclRemoteError = (int)6L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclRemoteError = 6
     * }
     */
    public static int ncclRemoteError() {
        return ncclRemoteError;
    }

    private static final int ncclInProgress = (int)7L;

    /**
     * {@snippet lang=c :
     * enum ncclResult_t.ncclInProgress = 7
     * }
     */
    public static int ncclInProgress() {
        return ncclInProgress;
    }

    private static final int ncclSum = (int)0L;

    /**
     * {@snippet lang=c :
     * enum ncclRedOp_t.ncclSum = 0
     * }
     */
    public static int ncclSum() {
        return ncclSum;
    }

    private static final int ncclProd = (int)1L;

    /**
     * {@snippet lang=c :
     * enum ncclRedOp_t.ncclProd = 1
     * }
     */
    public static int ncclProd() {
        return ncclProd;
    }

    private static final int ncclMax = (int)2L;

    /**
     * {@snippet lang=c :
     * enum ncclRedOp_t.ncclMax = 2
     * }
     */
    public static int ncclMax() {
        return ncclMax;
    }

    private static final int ncclMin = (int)3L;

    /**
     * {@snippet lang=c :
     * enum ncclRedOp_t.ncclMin = 3
     * }
     */
    public static int ncclMin() {
        return ncclMin;
    }

    private static final int ncclAvg = (int)4L;

    /**
     * {@snippet lang=c :
     * enum ncclRedOp_t.ncclAvg = 4
     * }
     */
    public static int ncclAvg() {
        return ncclAvg;
    }

    private static final int ncclInt8 = (int)0L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclInt8 = 0
     * }
     */
    public static int ncclInt8() {
        return ncclInt8;
    }

    private static final int ncclChar = (int)0L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclChar = 0
     * }
     */
    public static int ncclChar() {
        return ncclChar;
    }

    private static final int ncclUint8 = (int)1L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclUint8 = 1
     * }
     */
    public static int ncclUint8() {
        return ncclUint8;
    }

    private static final int ncclInt32 = (int)2L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclInt32 = 2
     * }
     */
    public static int ncclInt32() {
        return ncclInt32;
    }

    private static final int ncclInt = (int)2L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclInt = 2
     * }
     */
    public static int ncclInt() {
        return ncclInt;
    }

    private static final int ncclUint32 = (int)3L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclUint32 = 3
     * }
     */
    public static int ncclUint32() {
        return ncclUint32;
    }

    private static final int ncclInt64 = (int)4L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclInt64 = 4
     * }
     */
    public static int ncclInt64() {
        return ncclInt64;
    }

    private static final int ncclUint64 = (int)5L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclUint64 = 5
     * }
     */
    public static int ncclUint64() {
        return ncclUint64;
    }

    private static final int ncclFloat16 = (int)6L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclFloat16 = 6
     * }
     */
    public static int ncclFloat16() {
        return ncclFloat16;
    }

    private static final int ncclHalf = (int)6L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclHalf = 6
     * }
     */
    public static int ncclHalf() {
        return ncclHalf;
    }

    private static final int ncclFloat32 = (int)7L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclFloat32 = 7
     * }
     */
    public static int ncclFloat32() {
        return ncclFloat32;
    }

    private static final int ncclFloat = (int)7L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclFloat = 7
     * }
     */
    public static int ncclFloat() {
        return ncclFloat;
    }

    private static final int ncclFloat64 = (int)8L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclFloat64 = 8
     * }
     */
    public static int ncclFloat64() {
        return ncclFloat64;
    }

    private static final int ncclDouble = (int)8L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclDouble = 8
     * }
     */
    public static int ncclDouble() {
        return ncclDouble;
    }

    private static final int ncclBfloat16 = (int)9L;

    /**
     * {@snippet lang=c :
     * enum ncclDataType_t.ncclBfloat16 = 9
     * }
     */
    public static int ncclBfloat16() {
        return ncclBfloat16;
    }

    private static final int NCCL_UNIQUE_ID_BYTES = (int)128L;

    /**
     * {@snippet lang=c :
     * #define NCCL_UNIQUE_ID_BYTES 128
     * }
     */
    public static int NCCL_UNIQUE_ID_BYTES() {
        return NCCL_UNIQUE_ID_BYTES;
    }

}
