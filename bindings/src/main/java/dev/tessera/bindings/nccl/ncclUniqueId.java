// Hand-kept in the layout jextract 22 generates for nccl.h's ncclUniqueId (see scripts/generate-bindings).
package dev.tessera.bindings.nccl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * {@snippet lang=c :
 * typedef struct {
 *     char internal[128];
 * } ncclUniqueId
 * }
 * Passed by value to ncclCommInitRank: its descriptor uses {@link #layout()}.
 */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class ncclUniqueId {

    ncclUniqueId() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(128, nccl_h.C_CHAR).withName("internal")
    ).withName("$anon$36:9");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final SequenceLayout internal$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("internal"));

    /** Layout for field: {@code char internal[128]} */
    public static final SequenceLayout internal$layout() {
        return internal$LAYOUT;
    }

    private static final long internal$OFFSET = 0;

    /** Offset for field: {@code char internal[128]} */
    public static final long internal$offset() {
        return internal$OFFSET;
    }

    /** Getter for field: {@code char internal[128]} */
    public static MemorySegment internal(MemorySegment struct) {
        return struct.asSlice(internal$OFFSET, internal$LAYOUT.byteSize());
    }

    /** Setter for field: {@code char internal[128]} */
    public static void internal(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, internal$OFFSET, internal$LAYOUT.byteSize());
    }

    private static final long[] internal$DIMS = {128};

    /** Dimensions for array field: {@code char internal[128]} */
    public static long[] internal$dimensions() {
        return internal$DIMS.clone();
    }

    private static final VarHandle internal$ELEM_HANDLE = internal$LAYOUT.varHandle(sequenceElement());

    /** Indexed getter for field: {@code char internal[128]} */
    public static byte internal(MemorySegment struct, long index0) {
        return (byte) internal$ELEM_HANDLE.get(struct, 0L, index0);
    }

    /** Indexed setter for field: {@code char internal[128]} */
    public static void internal(MemorySegment struct, long index0, byte fieldValue) {
        internal$ELEM_HANDLE.set(struct, 0L, index0, fieldValue);
    }

    /** Obtains a slice of {@code arrayParam} which selects the array element at {@code index}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /** The size (in bytes) of this struct. */
    public static long sizeof() {
        return layout().byteSize();
    }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /** Allocate an array of size {@code elementCount} using {@code allocator}. */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any). */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /** Reinterprets {@code addr} as an array of {@code elementCount} structs, using {@code arena} and {@code cleanup}. */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
