package dev.tessera.numpy;

import static dev.tessera.Index.all;
import static dev.tessera.Index.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor.numpy() and Torch.fromNumpy share memory both ways, in process and through files. */
class TensorBridgeTest {
    @TempDir
    Path dir;

    @Test
    void numpyOfTensorSharesMemory() {
        Tensor t = Torch.ones(5);
        NDArray n = t.numpy();
        assertEquals("[1. 1. 1. 1. 1.]", n.toString());
        t.add_(1);
        assertEquals("[2. 2. 2. 2. 2.]", n.toString());
        n.setDouble(7, 0);
        assertEquals(7.0, t.select(0, 0).item().doubleValue());
    }

    @Test
    void numpyOfViewKeepsStrides() {
        Tensor t = Torch.arange(12).reshape(3, 4);
        Tensor col = t.index(all(), at(1));
        NDArray n = col.numpy();
        assertArrayEquals(new long[]{3}, n.shape());
        assertArrayEquals(new long[]{32}, n.strides());
        assertEquals("[1 5 9]", n.toString());
        Tensor tt = t.t();
        assertArrayEquals(new long[]{8, 32}, tt.numpy().strides());
        col.fill_(-1L);
        assertEquals("[-1 -1 -1]", n.toString());
    }

    @Test
    void fromNumpySharesMemoryAndKeepsDtype() {
        NDArray n = NDArray.ones(5);
        Tensor t = Torch.fromNumpy(n);
        for (long i = 0; i < 5; i++) n.setDouble(n.getDouble(i) + 1, i);
        assertEquals("tensor([2., 2., 2., 2., 2.], dtype=torch.float64)", t.toString());
        t.mul_(3);
        assertEquals("[6. 6. 6. 6. 6.]", n.toString());
    }

    @Test
    void fromNumpyPathMapsTheFileReadWrite() throws Exception {
        Path f = dir.resolve("x.npy");
        try (NDArray a = NDArray.create(f, DType.FLOAT32, 2, 3)) {
            for (int i = 0; i < 6; i++) a.setDouble(i, i / 3, i % 3);
            a.force();
        }
        Tensor t = Torch.fromNumpy(f);
        assertEquals(DType.FLOAT32, t.dtype());
        assertEquals("tensor([[0., 1., 2.],\n        [3., 4., 5.]])", t.toString());
        t.indexPut_(new Index[]{at(1), all()}, 9);
        ((NDArray) t.storage().keepAlive()).force();
        try (NDArray back = NDArray.load(f)) {
            assertEquals("[[0. 1. 2.]\n [9. 9. 9.]]", back.toString());
        }
    }

    @Test
    void fortranOrderFileIsAStridedViewWithoutCopy() throws Exception {
        Path f = dir.resolve("f.npy");
        Files.write(f, fortranNpy());
        Tensor t = Torch.fromNumpy(f);
        assertArrayEquals(new long[]{2, 3}, t.shapeArray());
        assertArrayEquals(new long[]{1, 2}, t.stride());
        assertEquals("tensor([[1, 2, 3],\n        [4, 5, 6]], dtype=torch.int32)", t.toString());
    }

    /** A 2x3 int32 array [[1,2,3],[4,5,6]] stored in Fortran order, as np.save writes it. */
    private static byte[] fortranNpy() {
        String header = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header).append(" ".repeat(pad)).append('\n');
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length() + 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.toString().getBytes());
        for (int v : new int[]{1, 4, 2, 5, 3, 6}) b.putInt(v);
        return b.array();
    }

    @Test
    void errorsFollowPyTorch() {
        Tensor g = Torch.ones(2).requiresGrad_(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, g::numpy);
        assertTrue(e.getMessage().contains("Can't call numpy() on Tensor that requires grad"), e.getMessage());
        assertEquals("[1. 1.]", g.detach().numpy().toString());
        Tensor bf = Torch.ones(new long[]{2}, DType.BFLOAT16);
        assertThrows(UnsupportedOperationException.class, bf::numpy);
    }

    @Test
    void bigEndianArraysAreRefusedLikePyTorch() throws Exception {
        Path f = dir.resolve("be.npy");
        String header = "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        String h = header + " ".repeat(pad) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length() + 8);
        b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0);
        b.put((byte) h.length()).put((byte) 0).put(h.getBytes()).putDouble(2.5);
        Files.write(f, b.array());
        try (NDArray a = NDArray.open(f, NDArray.Mode.READ_ONLY)) {
            assertEquals(2.5, a.getDouble(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.fromNumpy(a));
            assertTrue(e.getMessage().contains("byte order"), e.getMessage());
        }
    }
}
