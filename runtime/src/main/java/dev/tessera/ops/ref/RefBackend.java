package dev.tessera.ops.ref;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.memory.Allocator;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;

/**
 * The scalar reference backend: every op for every dtype and layout, element by element in
 * double (floating types) or long (integers, bool). It is the oracle the fast kernels are tested
 * against and the fallback for any case they do not cover.
 */
public class RefBackend implements Backend {
    @Override
    public Device device() { return Device.CPU; }

    @Override
    public MemorySegment allocate(long bytes) { return Allocator.allocate(bytes); }

    @Override
    public MemorySegment allocateUninitialized(long bytes) { return Allocator.allocate(bytes, false); }

    @Override
    public boolean recycle(MemorySegment block) { return Allocator.recycle(block); }

    @Override
    public void fill(Strided out, double value) {
        MemorySegment s = out.segment();
        DType t = out.dtype();
        ElementLoop.run(out, o -> Elements.setDouble(s, t, o, value));
    }

    @Override
    public void fillLong(Strided out, long value) {
        MemorySegment s = out.segment();
        DType t = out.dtype();
        ElementLoop.run(out, o -> Elements.setLong(s, t, o, value));
    }

    @Override
    public void copy(Strided dst, Strided src) {
        MemorySegment ds = dst.segment(), ss = src.segment();
        DType dt = dst.dtype(), st = src.dtype();
        if (dt.isFloatingPoint() || st.isFloatingPoint()) {
            ElementLoop.run(dst, src, (o, i) -> Elements.setDouble(ds, dt, o, Elements.getDouble(ss, st, i)));
        } else {
            ElementLoop.run(dst, src, (o, i) -> Elements.setLong(ds, dt, o, Elements.getLong(ss, st, i)));
        }
    }

    @Override
    public void unary(UnaryOp op, Strided out, Strided in) {
        MemorySegment os = out.segment(), is = in.segment();
        DType ot = out.dtype(), it = in.dtype();
        if (ot.isFloatingPoint()) {
            ElementLoop.run(out, in, (o, i) -> Elements.setDouble(os, ot, o, op.apply(Elements.getDouble(is, it, i))));
        } else {
            ElementLoop.run(out, in, (o, i) -> Elements.setLong(os, ot, o, op.applyLong(Elements.getLong(is, it, i))));
        }
    }

    @Override
    public void binary(BinaryOp op, Strided out, Strided a, Strided b, DType compute) {
        MemorySegment os = out.segment(), as = a.segment(), bs = b.segment();
        DType ot = out.dtype(), at = a.dtype(), bt = b.dtype();
        if (compute.isFloatingPoint()) {
            boolean round = !op.boolResult();
            ElementLoop.run(out, a, b, (o, i, j) -> {
                double x = Elements.roundTo(compute, Elements.getDouble(as, at, i));
                double y = Elements.roundTo(compute, Elements.getDouble(bs, bt, j));
                double r = op.apply(x, y);
                Elements.setDouble(os, ot, o, round ? Elements.roundTo(compute, r) : r);
            });
        } else {
            ElementLoop.run(out, a, b, (o, i, j) -> {
                long x = castLong(compute, Elements.getLong(as, at, i));
                long y = castLong(compute, Elements.getLong(bs, bt, j));
                long r = op.applyLong(x, y);
                Elements.setLong(os, ot, o, op.boolResult() ? r : castLong(compute, r));
            });
        }
    }

    /** Wraps a long to an integer dtype's range, as a C++ cast does. */
    private static long castLong(DType t, long v) {
        return switch (t) {
            case INT32 -> (int) v;
            case INT16 -> (short) v;
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case BOOL -> v != 0 ? 1 : 0;
            default -> v;
        };
    }

    @Override
    public void reduce(ReduceOp op, Strided out, Strided in, boolean[] reduced) {
        long outCount = out.numel();
        // Map each input element to its output slot through a dense index view (1-byte dtype so the
        // "byte offset" the loop hands us is the output's flat index).
        long[] slotStrides = new long[in.rank()];
        long s = 1;
        for (int d = in.rank() - 1; d >= 0; d--) {
            slotStrides[d] = reduced[d] ? 0 : s;
            s *= reduced[d] ? 1 : in.shape()[d];
        }
        Strided slots = new Strided(in.segment(), DType.INT8, 0, in.shape(), slotStrides);
        MemorySegment is = in.segment();
        DType it = in.dtype();
        boolean exact = !it.isFloatingPoint() && !out.dtype().isFloatingPoint();
        if (exact) {
            long[] acc = new long[Math.toIntExact(outCount)];
            java.util.Arrays.fill(acc, op == ReduceOp.PROD ? 1 : op == ReduceOp.MAX ? Long.MIN_VALUE : op == ReduceOp.MIN ? Long.MAX_VALUE : 0);
            ElementLoop.run(in, slots, (i, k) -> {
                long v = Elements.getLong(is, it, i);
                int slot = (int) k;
                acc[slot] = switch (op) {
                    case SUM -> acc[slot] + v;
                    case PROD -> acc[slot] * v;
                    case MAX -> Math.max(acc[slot], v);
                    case MIN -> Math.min(acc[slot], v);
                };
            });
            storeSlots(out, k -> Elements.setLong(out.segment(), out.dtype(), out.byteOffsetOf(k), acc[(int) k]), outCount);
        } else {
            double[] acc = new double[Math.toIntExact(outCount)];
            java.util.Arrays.fill(acc, op.identity());
            ElementLoop.run(in, slots, (i, k) -> {
                double v = Elements.getDouble(is, it, i);
                int slot = (int) k;
                acc[slot] = switch (op) {
                    case SUM -> acc[slot] + v;
                    case PROD -> acc[slot] * v;
                    case MAX -> (Double.isNaN(v) || v > acc[slot]) && !Double.isNaN(acc[slot]) ? v : acc[slot];
                    case MIN -> (Double.isNaN(v) || v < acc[slot]) && !Double.isNaN(acc[slot]) ? v : acc[slot];
                };
            });
            storeSlots(out, k -> Elements.setDouble(out.segment(), out.dtype(), out.byteOffsetOf(k), acc[(int) k]), outCount);
        }
    }

    private interface SlotStore { void store(long k); }

    private static void storeSlots(Strided out, SlotStore store, long count) {
        for (long k = 0; k < count; k++) store.store(k);
    }

    @Override
    public void argReduce(boolean max, Strided outIndices, Strided in, int dim) {
        long[] outerShape = in.shape().clone();
        long len = outerShape[dim];
        outerShape[dim] = 1;
        Strided base = new Strided(in.segment(), in.dtype(), in.offset(), outerShape, in.strides());
        Strided idx = new Strided(outIndices.segment(), outIndices.dtype(), outIndices.offset(), outerShape, outIndices.strides());
        long step = in.strides()[dim] * in.dtype().byteSize();
        MemorySegment is = in.segment();
        DType it = in.dtype();
        ElementLoop.run(idx, base, (o, i) -> {
            long best = 0;
            double bestValue = Elements.getDouble(is, it, i);
            for (long j = 1; j < len && !Double.isNaN(bestValue); j++) {
                double v = Elements.getDouble(is, it, i + j * step);
                if (Double.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                    best = j;
                    bestValue = v;
                }
            }
            Elements.setLong(outIndices.segment(), outIndices.dtype(), o, best);
        });
    }

    @Override
    public void matmul(Strided out, Strided a, Strided b) {
        long batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2], k = a.shape()[2];
        boolean floating = out.dtype().isFloatingPoint();
        int oz = out.dtype().byteSize(), az = a.dtype().byteSize(), bz = b.dtype().byteSize();
        for (long p = 0; p < batch; p++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    long aBase = (a.offset() + p * a.strides()[0] + i * a.strides()[1]) * az;
                    long bBase = (b.offset() + p * b.strides()[0] + j * b.strides()[2]) * bz;
                    long o = (out.offset() + p * out.strides()[0] + i * out.strides()[1] + j * out.strides()[2]) * oz;
                    if (floating) {
                        double acc = 0;
                        for (long q = 0; q < k; q++) {
                            acc += Elements.getDouble(a.segment(), a.dtype(), aBase + q * a.strides()[2] * az)
                                    * Elements.getDouble(b.segment(), b.dtype(), bBase + q * b.strides()[1] * bz);
                        }
                        Elements.setDouble(out.segment(), out.dtype(), o, acc);
                    } else {
                        long acc = 0;
                        for (long q = 0; q < k; q++) {
                            acc += Elements.getLong(a.segment(), a.dtype(), aBase + q * a.strides()[2] * az)
                                    * Elements.getLong(b.segment(), b.dtype(), bBase + q * b.strides()[1] * bz);
                        }
                        Elements.setLong(out.segment(), out.dtype(), o, acc);
                    }
                }
            }
        }
    }

    @Override
    public void where(Strided out, Strided cond, Strided a, Strided b) {
        MemorySegment os = out.segment(), cs = cond.segment(), as = a.segment(), bs = b.segment();
        DType ot = out.dtype(), ct = cond.dtype(), at = a.dtype(), bt = b.dtype();
        if (ot.isFloatingPoint()) {
            ElementLoop.run(out, cond, a, b, (o, c, i, j) -> Elements.setDouble(os, ot, o,
                    Elements.getLong(cs, ct, c) != 0 ? Elements.getDouble(as, at, i) : Elements.getDouble(bs, bt, j)));
        } else {
            ElementLoop.run(out, cond, a, b, (o, c, i, j) -> Elements.setLong(os, ot, o,
                    Elements.getLong(cs, ct, c) != 0 ? Elements.getLong(as, at, i) : Elements.getLong(bs, bt, j)));
        }
    }

    @Override
    public void indexOffsets(Strided offsets, Strided base, Strided[] indices, int[] names, long[] dimSizes, long[] dimStrides) {
        int k = indices.length;
        Strided[] ops = new Strided[k + 2];
        ops[0] = offsets;
        ops[1] = base;
        System.arraycopy(indices, 0, ops, 2, k);
        MemorySegment out = offsets.segment();
        long baseSize = base.dtype().byteSize();
        ElementLoop.runAll(ops, o -> {
            long off = o[1] / baseSize;
            for (int i = 0; i < k; i++) {
                long v = Elements.getLong(indices[i].segment(), indices[i].dtype(), o[i + 2]);
                off += checkedIndex(v, names[i], dimSizes[i], true) * dimStrides[i];
            }
            Elements.setLong(out, DType.INT64, o[0], off);
        });
    }

    /** v, or v + size for a negative v when {@code wrap}; outside the dim it names the value, dim and size. */
    private static long checkedIndex(long v, int dim, long size, boolean wrap) {
        if (v >= size || v < (wrap ? -size : 0)) {
            throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim + " with size " + size);
        }
        return v < 0 ? v + size : v;
    }

    @Override
    public void nonzero(Strided out, Strided mask) {
        if (!out.isContiguous()) throw new IllegalArgumentException("nonzero writes a contiguous output");
        dev.tessera.ops.NonzeroScan.coordinates(mask, out.segment().asSlice(out.offset() * Long.BYTES), out.shape()[0]);
    }

    @Override
    public void gatherElements(Strided dense, Strided base, Strided offsets) {
        moveElements(base, offsets, dense, false, true);
    }

    @Override
    public void scatterElements(Strided base, Strided offsets, Strided dense, boolean accumulate) {
        moveElements(base, offsets, dense, accumulate, false);
    }

    /**
     * Moves elements between {@code base} (addressed by element offsets into its storage) and
     * {@code dense}: gather when {@code toDense}, else scatter (adding when {@code accumulate}).
     */
    private static void moveElements(Strided base, Strided offsets, Strided dense, boolean accumulate, boolean toDense) {
        DType st = base.dtype(), dt = dense.dtype();
        MemorySegment ss = base.segment(), ds = dense.segment(), os = offsets.segment();
        if (offsets.numel() != dense.numel()) {
            throw new IllegalArgumentException("moving " + dense.numel() + " elements with " + offsets.numel() + " offsets");
        }
        Strided flatOffsets = new Strided(os, offsets.dtype(), offsets.offset(), dense.shape(), contiguousStrides(dense.shape()));
        long limit = ss.byteSize() / st.byteSize();
        boolean floating = st.isFloatingPoint() || dt.isFloatingPoint();
        ElementLoop.run(dense, flatOffsets, (dByte, oByte) -> {
            long at = Elements.getLong(os, DType.INT64, oByte);
            if (at < 0 || at >= limit) {
                throw new IndexOutOfBoundsException("element offset " + at + " is outside a storage of " + limit + " elements");
            }
            long sByte = at * st.byteSize();
            if (toDense) {
                if (floating) Elements.setDouble(ds, dt, dByte, Elements.getDouble(ss, st, sByte));
                else Elements.setLong(ds, dt, dByte, Elements.getLong(ss, st, sByte));
            } else if (floating) {
                double v = Elements.getDouble(ds, dt, dByte);
                Elements.setDouble(ss, st, sByte, accumulate ? Elements.getDouble(ss, st, sByte) + v : v);
            } else {
                long v = Elements.getLong(ds, dt, dByte);
                Elements.setLong(ss, st, sByte, accumulate ? Elements.getLong(ss, st, sByte) + v : v);
            }
        });
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(1, shape[i]);
        }
        return strides;
    }

    @Override
    public void gatherAlong(Strided out, Strided src, Strided index, int dim, long dimSize, long dimStride) {
        MemorySegment os = out.segment(), ss = src.segment(), xs = index.segment();
        DType t = out.dtype();
        ElementLoop.run(out, src, index, (o, s, x) -> {
            long k = checkedIndex(Elements.getLong(xs, index.dtype(), x), dim, dimSize, false);
            long at = s + k * dimStride * t.byteSize();
            if (t.isFloatingPoint()) Elements.setDouble(os, t, o, Elements.getDouble(ss, t, at));
            else Elements.setLong(os, t, o, Elements.getLong(ss, t, at));
        });
    }

    @Override
    public void scatterAlong(Strided dst, Strided src, Strided index, int dim, long dimSize, long dimStride, boolean accumulate) {
        MemorySegment ds = dst.segment(), ss = src.segment(), xs = index.segment();
        DType t = dst.dtype();
        ElementLoop.run(dst, src, index, (d, s, x) -> {
            long k = checkedIndex(Elements.getLong(xs, index.dtype(), x), dim, dimSize, false);
            long at = d + k * dimStride * t.byteSize();
            if (t.isFloatingPoint()) {
                double v = Elements.getDouble(ss, t, s);
                Elements.setDouble(ds, t, at, accumulate ? Elements.getDouble(ds, t, at) + v : v);
            } else {
                long v = Elements.getLong(ss, t, s);
                Elements.setLong(ds, t, at, accumulate ? Elements.getLong(ds, t, at) + v : v);
            }
        });
    }
}
