package dev.tessera.memory;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An explicit lifetime for tensor memory. Tensors created on this thread while a scope is open
 * are allocated in its arena; {@link #close()} frees them all at once. Any later access to such a
 * tensor throws {@link IllegalStateException} (FFM checks liveness on every access), never reads
 * freed memory. Without a scope, memory is owned by the garbage collector (see {@link Allocator}).
 *
 * <pre>{@code try (MemoryScope s = Torch.scope()) { ... } }</pre>
 *
 * Scopes nest; the innermost open scope on the current thread receives new allocations. The arena
 * is shared, so tensors may be read from worker threads while the scope is open.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<Deque<MemoryScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final Arena arena = Arena.ofShared();
    private final Thread owner = Thread.currentThread();
    private long bytesAllocated;
    private boolean closed;

    private MemoryScope() {}

    /** Opens a scope on the current thread. */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope();
        OPEN.get().push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static MemoryScope current() {
        return OPEN.get().peek();
    }

    Arena arena() { return arena; }

    void recordAllocation(long bytes) { bytesAllocated += bytes; }

    /** Bytes allocated in this scope so far. */
    public long bytesAllocated() { return bytesAllocated; }

    public boolean isOpen() { return !closed; }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a MemoryScope must be closed by the thread that opened it");
        }
        Deque<MemoryScope> stack = OPEN.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("MemoryScopes must be closed innermost first");
        }
        stack.pop();
        closed = true;
        arena.close();
    }
}
