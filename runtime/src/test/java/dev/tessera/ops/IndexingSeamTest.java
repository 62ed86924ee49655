package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The dispatcher's indexing entries (offsets, gather/scatter along a dim, nonzero) on bad input and edge cases. */
class IndexingSeamTest {
    @Test
    void badArgumentsGetClearErrors() {
        Tensor t = Torch.arange(12).reshape(3, 4).to(DType.FLOAT32), idx = Torch.tensor(new long[][]{{0, 1}});
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> Dispatcher.gatherAlong(t, 2, idx));
        assertTrue(dim.getMessage().contains("dim 2 is out of range"), dim.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Dispatcher.scatterAlong(t.clone(), 1, idx, Torch.ones(3, 2), true));
        assertTrue(shape.getMessage().contains("do not match index"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dispatcher.gatherAlong(t, 1, idx.to(DType.INT32)));
        assertThrows(IllegalArgumentException.class, () -> Dispatcher.nonzero(Torch.tensor(3L)));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> Dispatcher.indexOffsets(t, new long[]{2},
                new long[]{0}, new Tensor[]{Torch.tensor(new long[]{0, 1}).to(DType.INT32)}, new long[][]{{1}}, new int[]{0}));
        assertTrue(type.getMessage().contains("must be int64"), type.getMessage());
    }

    @Test
    void scatterAddsDuplicatesAndGatherReadsThroughStrides() {
        Tensor target = Torch.zeros(2, 3);
        Dispatcher.scatterAlong(target, 1, Torch.tensor(new long[][]{{2, 2, 0}, {1, 1, 1}}), Torch.ones(2, 3), true);
        assertArrayEquals(new float[]{1, 0, 2, 0, 3, 0}, target.toFloatArray());
        Tensor view = Torch.arange(12).reshape(3, 4).to(DType.FLOAT32).t(); // [4, 3], strides (1, 4)
        Tensor got = Dispatcher.gatherAlong(view, 0, Torch.tensor(new long[][]{{3, 0, 1}}));
        assertArrayEquals(new float[]{3, 4, 9}, got.toFloatArray());
    }

    @Test
    void aMaskThatChangedSinceItWasCountedIsAnErrorNotAnOverrun() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, (byte) 1, (byte) 1, (byte) 0);
            Strided m = new Strided(mask, DType.BOOL, 0, new long[]{3}, new long[]{1});
            MemorySegment coords = a.allocate(8);
            assertThrows(IllegalStateException.class, () -> NonzeroScan.coordinates(m, coords, 1));
        }
    }
}
