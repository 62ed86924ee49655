package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** kernelParams packing and the by-value structs' layouts (the header's static_asserts give the C sizes). */
class KernelArgsTest {
    @Test
    void structLayoutsHaveTheHeadersSizes() {
        assertEquals(144, KernelAbi.TENSOR_DESC.byteSize());
        assertEquals(120, KernelAbi.CONV2D_GEOM.byteSize());
        assertEquals(104, KernelAbi.POOL2D_GEOM.byteSize());
        assertEquals(72, KernelAbi.INDEX_SPEC.byteSize());
        // out, desc, a, desc, b, desc, n, err: 8 + 144 + 8 + 144 + 8 + 144 + 8 + 8
        assertEquals(472, KernelAbi.kernel("tessera_binary_add_f32").paramBytes());
        assertEquals(220, KernelAbi.kernels().size());
    }

    @Test
    void packWritesEachArgumentBehindItsPointer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = KernelArgs.tensorDesc(arena, new long[]{2, 3}, new long[]{1, 2}, 5);
            MemorySegment params = KernelArgs.pack(arena, KernelAbi.kernel("tessera_fill_f32"), 0x1000L, desc, 6L, 2.5);
            MemorySegment p0 = params.getAtIndex(ValueLayout.ADDRESS, 0).reinterpret(8);
            MemorySegment p1 = params.getAtIndex(ValueLayout.ADDRESS, 1).reinterpret(144);
            MemorySegment p3 = params.getAtIndex(ValueLayout.ADDRESS, 3).reinterpret(8);
            assertEquals(0x1000L, p0.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(3, p1.getAtIndex(ValueLayout.JAVA_LONG, 1));
            assertEquals(2, p1.getAtIndex(ValueLayout.JAVA_LONG, 9));
            assertEquals(0, p1.getAtIndex(ValueLayout.JAVA_LONG, 2), "unused dims are zero");
            assertEquals(5, p1.get(ValueLayout.JAVA_LONG, 128));
            assertEquals(2, p1.get(ValueLayout.JAVA_INT, 136));
            assertEquals(2.5, p3.get(ValueLayout.JAVA_DOUBLE, 0));
        }
    }

    @Test
    void wrongArgumentsAreClearErrors() {
        try (Arena arena = Arena.ofConfined()) {
            KernelAbi.Kernel fill = KernelAbi.kernel("tessera_fill_f32");
            var e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(arena, fill, 1L, 2L));
            assertTrue(e.getMessage().contains("tessera_fill_f32 takes 4 arguments, got 2"), e.getMessage());
            MemorySegment desc = KernelArgs.tensorDesc(arena, new long[0], new long[0], 0);
            e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(arena, fill, 1L, desc, 6L, 2));
            assertTrue(e.getMessage().contains("argument 3") && e.getMessage().contains("Double"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(arena, fill, 1L, arena.allocate(8), 6L, 2.0));
            assertTrue(e.getMessage().contains("144 bytes"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.tensorDesc(arena, new long[9], new long[9], 0));
            assertTrue(e.getMessage().contains("rank <= 8"), e.getMessage());
        }
    }
}
