// Hand-kept in the layout jextract 22 generates for curand.h (see scripts/generate-bindings and
// bindings/jextract/curand.txt); the differences from jextract's output are listed there.
package dev.tessera.bindings.cuda;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;


/** cuRAND's host API (libcurand): the functions and enum values Tessera uses. */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class curand_h {

    curand_h() {
        // Should not be called directly
    }

    /** The library whose symbols this class binds; loaded on the first call, never at class load. */
    public static final CudaLibrary LIBRARY = CudaLibrary.CURAND;

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

    private static class curandCreateGenerator {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_INT
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandCreateGenerator");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandCreateGenerator", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static FunctionDescriptor curandCreateGenerator$descriptor() {
        return curandCreateGenerator.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static MethodHandle curandCreateGenerator$handle() {
        return curandCreateGenerator.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static MemorySegment curandCreateGenerator$address() {
        return curandCreateGenerator.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static int curandCreateGenerator(MemorySegment generator, int rng_type) {
        var mh$ = curandCreateGenerator.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandCreateGenerator", generator, rng_type);
            }
            return (int) mh$.invokeExact(generator, rng_type);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandDestroyGenerator {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandDestroyGenerator");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandDestroyGenerator", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static FunctionDescriptor curandDestroyGenerator$descriptor() {
        return curandDestroyGenerator.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static MethodHandle curandDestroyGenerator$handle() {
        return curandDestroyGenerator.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static MemorySegment curandDestroyGenerator$address() {
        return curandDestroyGenerator.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static int curandDestroyGenerator(MemorySegment generator) {
        var mh$ = curandDestroyGenerator.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandDestroyGenerator", generator);
            }
            return (int) mh$.invokeExact(generator);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandSetPseudoRandomGeneratorSeed {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandSetPseudoRandomGeneratorSeed");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandSetPseudoRandomGeneratorSeed", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static FunctionDescriptor curandSetPseudoRandomGeneratorSeed$descriptor() {
        return curandSetPseudoRandomGeneratorSeed.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static MethodHandle curandSetPseudoRandomGeneratorSeed$handle() {
        return curandSetPseudoRandomGeneratorSeed.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static MemorySegment curandSetPseudoRandomGeneratorSeed$address() {
        return curandSetPseudoRandomGeneratorSeed.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static int curandSetPseudoRandomGeneratorSeed(MemorySegment generator, long seed) {
        var mh$ = curandSetPseudoRandomGeneratorSeed.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetPseudoRandomGeneratorSeed", generator, seed);
            }
            return (int) mh$.invokeExact(generator, seed);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandSetGeneratorOffset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandSetGeneratorOffset");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandSetGeneratorOffset", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static FunctionDescriptor curandSetGeneratorOffset$descriptor() {
        return curandSetGeneratorOffset.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static MethodHandle curandSetGeneratorOffset$handle() {
        return curandSetGeneratorOffset.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static MemorySegment curandSetGeneratorOffset$address() {
        return curandSetGeneratorOffset.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static int curandSetGeneratorOffset(MemorySegment generator, long offset) {
        var mh$ = curandSetGeneratorOffset.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetGeneratorOffset", generator, offset);
            }
            return (int) mh$.invokeExact(generator, offset);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandSetStream {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandSetStream");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandSetStream", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor curandSetStream$descriptor() {
        return curandSetStream.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static MethodHandle curandSetStream$handle() {
        return curandSetStream.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static MemorySegment curandSetStream$address() {
        return curandSetStream.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static int curandSetStream(MemorySegment generator, MemorySegment stream) {
        var mh$ = curandSetStream.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetStream", generator, stream);
            }
            return (int) mh$.invokeExact(generator, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandGenerateUniform {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER,
            curand_h.C_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandGenerateUniform");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandGenerateUniform", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniform(curandGenerator_t generator, float *outputPtr, size_t num)
     * }
     */
    public static FunctionDescriptor curandGenerateUniform$descriptor() {
        return curandGenerateUniform.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniform(curandGenerator_t generator, float *outputPtr, size_t num)
     * }
     */
    public static MethodHandle curandGenerateUniform$handle() {
        return curandGenerateUniform.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniform(curandGenerator_t generator, float *outputPtr, size_t num)
     * }
     */
    public static MemorySegment curandGenerateUniform$address() {
        return curandGenerateUniform.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniform(curandGenerator_t generator, float *outputPtr, size_t num)
     * }
     */
    public static int curandGenerateUniform(MemorySegment generator, MemorySegment outputPtr, long num) {
        var mh$ = curandGenerateUniform.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGenerateUniform", generator, outputPtr, num);
            }
            return (int) mh$.invokeExact(generator, outputPtr, num);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandGenerateUniformDouble {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER,
            curand_h.C_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandGenerateUniformDouble");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandGenerateUniformDouble", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniformDouble(curandGenerator_t generator, double *outputPtr, size_t num)
     * }
     */
    public static FunctionDescriptor curandGenerateUniformDouble$descriptor() {
        return curandGenerateUniformDouble.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniformDouble(curandGenerator_t generator, double *outputPtr, size_t num)
     * }
     */
    public static MethodHandle curandGenerateUniformDouble$handle() {
        return curandGenerateUniformDouble.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniformDouble(curandGenerator_t generator, double *outputPtr, size_t num)
     * }
     */
    public static MemorySegment curandGenerateUniformDouble$address() {
        return curandGenerateUniformDouble.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGenerateUniformDouble(curandGenerator_t generator, double *outputPtr, size_t num)
     * }
     */
    public static int curandGenerateUniformDouble(MemorySegment generator, MemorySegment outputPtr, long num) {
        var mh$ = curandGenerateUniformDouble.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGenerateUniformDouble", generator, outputPtr, num);
            }
            return (int) mh$.invokeExact(generator, outputPtr, num);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandGenerateNormal {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER,
            curand_h.C_LONG,
            curand_h.C_FLOAT,
            curand_h.C_FLOAT
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandGenerateNormal");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandGenerateNormal", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static FunctionDescriptor curandGenerateNormal$descriptor() {
        return curandGenerateNormal.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static MethodHandle curandGenerateNormal$handle() {
        return curandGenerateNormal.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static MemorySegment curandGenerateNormal$address() {
        return curandGenerateNormal.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static int curandGenerateNormal(MemorySegment generator, MemorySegment outputPtr, long n, float mean, float stddev) {
        var mh$ = curandGenerateNormal.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGenerateNormal", generator, outputPtr, n, mean, stddev);
            }
            return (int) mh$.invokeExact(generator, outputPtr, n, mean, stddev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class curandGenerateNormalDouble {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER,
            curand_h.C_LONG,
            curand_h.C_DOUBLE,
            curand_h.C_DOUBLE
        );

        public static final MemorySegment ADDR = curand_h.findOrNull("curandGenerateNormalDouble");

        public static final MethodHandle HANDLE = curand_h.downcallHandle("curandGenerateNormalDouble", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormalDouble(curandGenerator_t generator, double *outputPtr, size_t n, double mean, double stddev)
     * }
     */
    public static FunctionDescriptor curandGenerateNormalDouble$descriptor() {
        return curandGenerateNormalDouble.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormalDouble(curandGenerator_t generator, double *outputPtr, size_t n, double mean, double stddev)
     * }
     */
    public static MethodHandle curandGenerateNormalDouble$handle() {
        return curandGenerateNormalDouble.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormalDouble(curandGenerator_t generator, double *outputPtr, size_t n, double mean, double stddev)
     * }
     */
    public static MemorySegment curandGenerateNormalDouble$address() {
        return curandGenerateNormalDouble.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormalDouble(curandGenerator_t generator, double *outputPtr, size_t n, double mean, double stddev)
     * }
     */
    public static int curandGenerateNormalDouble(MemorySegment generator, MemorySegment outputPtr, long n, double mean, double stddev) {
        var mh$ = curandGenerateNormalDouble.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGenerateNormalDouble", generator, outputPtr, n, mean, stddev);
            }
            return (int) mh$.invokeExact(generator, outputPtr, n, mean, stddev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CURAND_STATUS_SUCCESS = (int)0L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_SUCCESS = 0
     * }
     */
    public static int CURAND_STATUS_SUCCESS() {
        return CURAND_STATUS_SUCCESS;
    }

    private static final int CURAND_STATUS_VERSION_MISMATCH = (int)100L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_VERSION_MISMATCH = 100
     * }
     */
    public static int CURAND_STATUS_VERSION_MISMATCH() {
        return CURAND_STATUS_VERSION_MISMATCH;
    }

    private static final int CURAND_STATUS_NOT_INITIALIZED = (int)101L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_NOT_INITIALIZED = 101
     * }
     */
    public static int CURAND_STATUS_NOT_INITIALIZED() {
        return CURAND_STATUS_NOT_INITIALIZED;
    }

    private static final int CURAND_STATUS_ALLOCATION_FAILED = (int)102L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_ALLOCATION_FAILED = 102
     * }
     */
    public static int CURAND_STATUS_ALLOCATION_FAILED() {
        return CURAND_STATUS_ALLOCATION_FAILED;
    }

    private static final int CURAND_STATUS_TYPE_ERROR = (int)103L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_TYPE_ERROR = 103
     * }
     */
    public static int CURAND_STATUS_TYPE_ERROR() {
        return CURAND_STATUS_TYPE_ERROR;
    }

    private static final int CURAND_STATUS_OUT_OF_RANGE = (int)104L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_OUT_OF_RANGE = 104
     * }
     */
    public static int CURAND_STATUS_OUT_OF_RANGE() {
        return CURAND_STATUS_OUT_OF_RANGE;
    }

    private static final int CURAND_STATUS_LENGTH_NOT_MULTIPLE = (int)105L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_LENGTH_NOT_MULTIPLE = 105
     * }
     */
    public static int CURAND_STATUS_LENGTH_NOT_MULTIPLE() {
        return CURAND_STATUS_LENGTH_NOT_MULTIPLE;
    }

    private static final int CURAND_STATUS_DOUBLE_PRECISION_REQUIRED = (int)106L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_DOUBLE_PRECISION_REQUIRED = 106
     * }
     */
    public static int CURAND_STATUS_DOUBLE_PRECISION_REQUIRED() {
        return CURAND_STATUS_DOUBLE_PRECISION_REQUIRED;
    }

    private static final int CURAND_STATUS_LAUNCH_FAILURE = (int)201L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_LAUNCH_FAILURE = 201
     * }
     */
    public static int CURAND_STATUS_LAUNCH_FAILURE() {
        return CURAND_STATUS_LAUNCH_FAILURE;
    }

    private static final int CURAND_STATUS_PREEXISTING_FAILURE = (int)202L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_PREEXISTING_FAILURE = 202
     * }
     */
    public static int CURAND_STATUS_PREEXISTING_FAILURE() {
        return CURAND_STATUS_PREEXISTING_FAILURE;
    }

    private static final int CURAND_STATUS_INITIALIZATION_FAILED = (int)203L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_INITIALIZATION_FAILED = 203
     * }
     */
    public static int CURAND_STATUS_INITIALIZATION_FAILED() {
        return CURAND_STATUS_INITIALIZATION_FAILED;
    }

    private static final int CURAND_STATUS_ARCH_MISMATCH = (int)204L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_ARCH_MISMATCH = 204
     * }
     */
    public static int CURAND_STATUS_ARCH_MISMATCH() {
        return CURAND_STATUS_ARCH_MISMATCH;
    }

    private static final int CURAND_STATUS_INTERNAL_ERROR = (int)999L;

    /**
     * {@snippet lang=c :
     * enum curandStatus.CURAND_STATUS_INTERNAL_ERROR = 999
     * }
     */
    public static int CURAND_STATUS_INTERNAL_ERROR() {
        return CURAND_STATUS_INTERNAL_ERROR;
    }

    private static final int CURAND_RNG_PSEUDO_DEFAULT = (int)100L;

    /**
     * {@snippet lang=c :
     * enum curandRngType.CURAND_RNG_PSEUDO_DEFAULT = 100
     * }
     */
    public static int CURAND_RNG_PSEUDO_DEFAULT() {
        return CURAND_RNG_PSEUDO_DEFAULT;
    }

    private static final int CURAND_RNG_PSEUDO_XORWOW = (int)101L;

    /**
     * {@snippet lang=c :
     * enum curandRngType.CURAND_RNG_PSEUDO_XORWOW = 101
     * }
     */
    public static int CURAND_RNG_PSEUDO_XORWOW() {
        return CURAND_RNG_PSEUDO_XORWOW;
    }

    private static final int CURAND_RNG_PSEUDO_PHILOX4_32_10 = (int)161L;

    /**
     * {@snippet lang=c :
     * enum curandRngType.CURAND_RNG_PSEUDO_PHILOX4_32_10 = 161
     * }
     */
    public static int CURAND_RNG_PSEUDO_PHILOX4_32_10() {
        return CURAND_RNG_PSEUDO_PHILOX4_32_10;
    }

}
