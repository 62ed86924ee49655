package dev.tessera.numpy;

import dev.tessera.DType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Temporary stand-in until the NumPy bridge lands. */
public final class NDArray {
    public enum Mode { READ_ONLY, READ_WRITE, COPY_ON_WRITE }
    private final MemorySegment data; private final DType dtype; private final long[] shape, strides;
    private NDArray(MemorySegment d, DType t, long[] s, long[] st) { data = d; dtype = t; shape = s; strides = st; }
    public static NDArray wrap(MemorySegment data, DType dtype, long[] shape, long[] byteStrides, Object keepAlive) { return new NDArray(data, dtype, shape, byteStrides); }
    public static NDArray open(Path p, Mode m) { throw new UnsupportedOperationException(); }
    public static NDArray ones(long n) { MemorySegment m = java.lang.foreign.Arena.ofAuto().allocate(8*n, 64); for (int i=0;i<n;i++) m.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, 1.0); return new NDArray(m, DType.FLOAT64, new long[]{n}, new long[]{8}); }
    public double getDouble(long... i) { return dev.tessera.tensor.Elements.getDouble(data, dtype, i[0]*strides[0]); }
    public void setDouble(double v, long... i) { dev.tessera.tensor.Elements.setDouble(data, dtype, i[0]*strides[0], v); }
    public String toString() { StringBuilder sb = new StringBuilder("["); for (long i=0;i<shape[0];i++){ if(i>0) sb.append(' '); double v=getDouble(i); sb.append(v==Math.rint(v)? ((long)v)+"." : Double.toString(v)); } return sb.append(']').toString(); }
    public MemorySegment data() { return data; }
    public DType dtype() { return dtype; }
    public long[] shape() { return shape; }
    public long[] strides() { return strides; }
    public boolean isLittleEndian() { return true; }
}
