package dev.tessera.bindings.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The lazy symbol lookup behind the jextract-layout classes: a function's holder class asks here for
 * its address and handle when first called. A missing library or symbol does not fail class
 * initialisation (which would turn every later call into a bare NoClassDefFoundError); the handle
 * instead throws {@link CudaLibraryException} naming the function, the library and where it was looked for.
 */
public final class Downcalls {
    private static final MethodHandle FAIL;

    static {
        try {
            FAIL = MethodHandles.lookup().findStatic(Downcalls.class, "fail", MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Downcalls() {}

    /** The symbol's address in the library, or NULL when either is missing. */
    public static MemorySegment find(CudaLibrary lib, String symbol) {
        try {
            return CudaLibraries.lookup(lib).find(symbol).orElse(MemorySegment.NULL);
        } catch (CudaLibraryException missing) {
            return MemorySegment.NULL;
        }
    }

    /** A downcall handle for the address, or, when it is NULL, one of the same type that throws why. */
    public static MethodHandle handle(CudaLibrary lib, String symbol, MemorySegment address, FunctionDescriptor desc) {
        if (!address.equals(MemorySegment.NULL)) return Linker.nativeLinker().downcallHandle(address, desc);
        String reason;
        try {
            CudaLibraries.lookup(lib);
            reason = "symbol " + symbol + " is missing from " + CudaLibraries.path(lib).map(Object::toString).orElse(lib.baseName())
                    + " (an older release than the bindings need?)";
        } catch (CudaLibraryException e) {
            reason = e.getMessage();
        }
        MethodType type = desc.toMethodType();
        MethodHandle thrower = FAIL.bindTo("cannot call " + symbol + ": " + reason).asType(MethodType.methodType(type.returnType()));
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }

    private static Object fail(String message) {
        throw new CudaLibraryException(message);
    }
}
