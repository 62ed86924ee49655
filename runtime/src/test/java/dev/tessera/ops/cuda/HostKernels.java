package dev.tessera.ops.cuda;

import dev.tessera.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tessera's CUDA kernels compiled for the host with g++ and src/test/cuda/host_emulation.hpp, and
 * launched as CUDA would: one OS thread per CUDA thread of a block, blocks in turn. Host memory
 * stands in for device memory, so a kernel reads CPU tensors in place. Arguments follow
 * {@link KernelAbi} (each launch goes through its parameter list), so this also exercises the
 * Java side of the ABI.
 */
final class HostKernels {
    static final Path SOURCES = Path.of("src", "main", "cuda");
    static final Path SHIM = Path.of("src", "test", "cuda", "host_emulation.hpp");
    private static HostKernels instance;
    private static String unavailable;

    private final SymbolLookup lookup;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private final MethodHandle beginBlock, thread, endThread;
    final Arena arena = Arena.ofShared(); // descs and scratch; lives as long as the test JVM

    /** The compiled kernels, or null with {@link #unavailableReason()} set (no g++, no sources). */
    static synchronized HostKernels get() {
        if (instance != null || unavailable != null) return instance;
        try {
            if (!Files.isDirectory(SOURCES)) { unavailable = "no " + SOURCES + " (not a source checkout)"; return null; }
            Path gpp = Path.of("/usr/bin/g++");
            if (!Files.isExecutable(gpp)) { unavailable = "g++ not found at /usr/bin/g++"; return null; }
            Path dir = Path.of("target", "cuda-host");
            Files.createDirectories(dir);
            // cached by the sources hash (kernels and shim), so a test run compiles once per change
            String hash = CudaKernelsFatbinTest.sourcesHash(SOURCES).substring(0, 16) + Integer.toHexString(Files.readString(SHIM).hashCode());
            Path lib = dir.resolve("tessera_kernels_host_" + hash + ".so");
            if (!Files.exists(lib)) {
                Path tmp = dir.resolve("build-" + ProcessHandle.current().pid() + ".so");
                Process p = new ProcessBuilder(gpp.toString(), "-std=c++20", "-O1", "-fPIC", "-shared", "-Wno-unknown-pragmas",
                        "-include", SHIM.toAbsolutePath().toString(), "-x", "c++", SOURCES.resolve("tessera_kernels.cu").toString(),
                        "-o", tmp.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) throw new IllegalStateException("g++ failed on the CUDA sources:\n" + out);
                Files.move(tmp, lib, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            instance = new HostKernels(lib);
            return instance;
        } catch (IllegalStateException e) {
            throw e; // g++ ran and rejected the sources: a real failure, not a skip
        } catch (Exception e) {
            unavailable = "could not compile the kernels for the host: " + e;
            return null;
        }
    }

    static String unavailableReason() { return unavailable; }

    private HostKernels(Path lib) {
        lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        Linker l = Linker.nativeLinker();
        beginBlock = l.downcallHandle(lookup.findOrThrow("tessera_emu_begin_block"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        thread = l.downcallHandle(lookup.findOrThrow("tessera_emu_thread"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        endThread = l.downcallHandle(lookup.findOrThrow("tessera_emu_end_thread"), FunctionDescriptor.ofVoid());
    }

    private MethodHandle handle(KernelAbi.Kernel k) {
        return handles.computeIfAbsent(k.name(), n -> {
            List<MemoryLayout> ls = new ArrayList<>();
            for (KernelAbi.Param p : k.params()) ls.add(p.layout());
            return Linker.nativeLinker().downcallHandle(lookup.findOrThrow(n), FunctionDescriptor.ofVoid(ls.toArray(MemoryLayout[]::new)));
        });
    }

    /** Launches {@code name} with grid blocks of (bx, by) threads; args as {@link KernelArgs#pack}. */
    void launch(String name, int grid, int bx, int by, Object... args) {
        KernelAbi.Kernel k = KernelAbi.kernel(name);
        MemorySegment packed = KernelArgs.pack(arena, k, args); // checks count and types like a real launch
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            KernelAbi.Param p = k.params().get(i);
            MemorySegment slot = packed.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(p.layout().byteSize());
            values[i] = switch (p) {
                case PTR, I64 -> slot.get(ValueLayout.JAVA_LONG, 0);
                case I32 -> slot.get(ValueLayout.JAVA_INT, 0);
                case F64 -> slot.get(ValueLayout.JAVA_DOUBLE, 0);
                default -> slot;
            };
        }
        MethodHandle h = handle(k);
        try {
            for (int b = 0; b < grid; b++) {
                beginBlock.invoke(b, grid, bx, by);
                List<Thread> ts = new ArrayList<>();
                Throwable[] failure = new Throwable[1];
                for (int y = 0; y < by; y++) {
                    for (int x = 0; x < bx; x++) {
                        int tx = x, ty = y;
                        ts.add(Thread.ofPlatform().start(() -> {
                            try {
                                thread.invoke(tx, ty);
                                h.invokeWithArguments(values);
                                endThread.invoke();
                            } catch (Throwable e) {
                                failure[0] = e;
                            }
                        }));
                    }
                }
                for (Thread t : ts) t.join();
                if (failure[0] != null) throw new IllegalStateException(name + " failed", failure[0]);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("launch of " + name, e);
        }
    }

    /** Elementwise launch: 3 blocks of 4 threads, so grid-stride loops wrap several times. */
    void grid(String name, Object... args) { launch(name, 3, 4, 1, args); }

    /** Row launch: 2 blocks of 4 lanes x 2 rows (rows and lanes both wrap). */
    void rows(String name, Object... args) { launch(name, 2, 4, 2, args); }

    static long ptr(Tensor t) { return t.storage().segment().address(); }

    MemorySegment desc(Tensor t) { return KernelArgs.tensorDesc(arena, t.shapeArray(), t.strideArray(), t.storageOffset()); }

    MemorySegment desc(long[] sizes, long[] strides, long offset) { return KernelArgs.tensorDesc(arena, sizes, strides, offset); }

    /** A fresh int32 error word (device memory stand-in). */
    MemorySegment errWord() { return arena.allocate(ValueLayout.JAVA_INT); }
}
